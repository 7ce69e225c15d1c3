#!/usr/bin/env python3
"""Generate the sample synchronization-schema exports in samples/.

Deterministic: running it twice produces byte-identical files. Every id, guid, version string and
metadata value below is invented for this project; the structure (key names, key order, how sources
and parameters are encoded) follows the project's notes on the Entra export format.

Usage:  python3 scripts/gen_samples.py [OUTPUT_DIR]      (default: samples/ next to this script)

Writes entra-defaults.json, astrato.json and broken.json. samples/README.md is maintained by hand;
it documents the planted problems of broken.json with the JSON Pointers computed here (run with
--pointers to print them).
"""

import base64
import json
import sys
from pathlib import Path

# --------------------------------------------------------------------------------------------
# Invented identifiers

ENTRA_DIR_ID = "66e4a8cc-1b7b-435e-95f8-f06cea133828"  # fixed id of the Entra directory definition
TARGET_DIR_ID = "09760868-cafb-47ac-9031-0a3262300427"  # fixed id of the customappsso definition
RULE_ID = "03f7d90d-bf71-41b1-bda6-aaf0ddbee5d8"  # USERGROUP_OUTBOUND_USERGROUP

APP = {
    "sp": "5f0c2b9e-7d41-4a8e-b6c3-19e2d4a07f58",
    "job": "scim.9d2f64a1c0b84e7f93a5be06c1d7f284.e81b47c2-3a95-4f0d-8c6e-27b1d9f05a63",
}
BROKEN_APP = {
    "sp": "a37e9c15-02bd-4f68-9e41-c8d5b3a6f720",
    "job": "scim.41c8e0f7b29d4a6e8f13d05c9a7b2e6f.0c7d2e94-b1a3-4e58-96f2-3d8a5c1e7b40",
}

VERSION_DEFAULTS = "Date:2025-02-03T10:15:42.1183907Z, ActivityId:b4e1c7a2-5d93-4f08-a6e2-7c3b9d1f0e54"
VERSION_ASTRATO = "Date:2025-02-03T11:02:09.6637215Z, ActivityId:2a9f5d7e-c1b8-4e36-9d04-f58a2e7c613b"
VERSION_BROKEN = "Date:2023-10-17T08:44:51.2095530Z, ActivityId:e6d3a0b9-7f12-4c85-b3e9-0a4c8f2d6b71"

ENTRA_2024 = "Microsoft Entra ID"
ENTRA_2023 = "Azure Active Directory"
TARGET_DIR = "customappsso"

SCIM_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SCIM_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENT = SCIM_USER + ":"
ENT_GROUP_DESCRIPTION = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:Group:description"

# --------------------------------------------------------------------------------------------
# Expression parser -> attributeMappingSource tree

# Parameter keys per function, positional. A trailing '*' marks the repeating (variadic) key.
PARAM_KEYS = {
    "Append": ["source", "suffix"],
    "Join": ["separator", "source*"],
    "Mid": ["source", "start", "length"],
    "Not": ["source"],
    "Switch": ["source", "defaultValue", "switchValue*"],
    "ToLower": ["source", "culture"],
    "ToUpper": ["source", "culture"],
    "Trim": ["source"],
    "SelectUniqueValue": ["source*"],  # real key unknown; never linted
    "ToLowr": ["source"],  # misspelt on purpose in broken.json
}


class Parser:
    def __init__(self, text):
        self.s = text
        self.i = 0

    def ws(self):
        while self.i < len(self.s) and self.s[self.i] in " \t\r\n":
            self.i += 1

    def peek(self):
        self.ws()
        return self.s[self.i] if self.i < len(self.s) else ""

    def expect(self, ch):
        if self.peek() != ch:
            raise ValueError(f"expected {ch!r} at {self.i} in {self.s!r}")
        self.i += 1

    def parse(self):
        node = self.term()
        self.ws()
        if self.i != len(self.s):
            raise ValueError(f"trailing text at {self.i} in {self.s!r}")
        return node

    def term(self):
        ch = self.peek()
        if ch == "[":
            end = self.s.index("]", self.i)
            name = self.s[self.i + 1 : end]
            self.i = end + 1
            return ("attr", name)
        if ch == '"':
            self.i += 1
            out = []
            while True:
                c = self.s[self.i]
                if c == "\\":
                    out.append(self.s[self.i + 1])
                    self.i += 2
                elif c == '"':
                    self.i += 1
                    return ("const", "".join(out))
                else:
                    out.append(c)
                    self.i += 1
        if ch.isdigit() or ch == "-":
            start = self.i
            self.i += 1
            while self.i < len(self.s) and self.s[self.i].isdigit():
                self.i += 1
            return ("num", self.s[start : self.i])
        start = self.i
        while self.i < len(self.s) and (self.s[self.i].isalnum() or self.s[self.i] == "_"):
            self.i += 1
        name = self.s[start : self.i]
        if not name:
            raise ValueError(f"unexpected {ch!r} at {self.i} in {self.s!r}")
        self.expect("(")
        args = []
        if self.peek() == ")":
            self.i += 1
            return ("call", name, args)
        while True:
            if self.peek() in (",", ")"):
                args.append(None)  # empty argument
            else:
                args.append(self.term())
            if self.peek() == ",":
                self.i += 1
                continue
            self.expect(")")
            return ("call", name, args)


def quote(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def text_of(node):
    kind = node[0]
    if kind == "attr":
        return f"[{node[1]}]"
    if kind == "const":
        return quote(node[1])
    if kind == "num":
        return node[1]
    name, args = node[1], node[2]
    return name + "(" + ", ".join("" if a is None else text_of(a) for a in args) + ")"


def leaf(kind, name, expression):
    return {"expression": expression, "name": name, "type": kind, "parameters": []}


def source_of(node):
    kind = node[0]
    if kind == "attr":
        return leaf("Attribute", node[1], text_of(node))
    if kind == "const":
        return leaf("Constant", node[1], text_of(node))
    if kind == "num":  # numbers become Constants holding the digits
        return leaf("Constant", node[1], quote(node[1]))
    name, args = node[1], node[2]
    keys = PARAM_KEYS[name]
    params = []
    for pos, arg in enumerate(args):
        key = keys[min(pos, len(keys) - 1)]
        if pos >= len(keys) and not key.endswith("*"):
            key = keys[-1]  # surplus argument of a fixed-arity function: reuse the last key
        if arg is None:
            continue  # empty arguments are dropped
        params.append({"key": key.rstrip("*"), "value": source_of(arg)})
    return {"expression": text_of(node), "name": name, "type": "Function", "parameters": params}


def src(expression):
    """attributeMappingSource for an expression text; the text must already be canonical."""
    node = Parser(expression).parse()
    tree = source_of(node)
    assert tree["expression"] == expression, (tree["expression"], expression)
    return tree


# --------------------------------------------------------------------------------------------
# Builders in the key order of real Graph responses


def kv(key, value):
    return {"key": key, "value": value}


def mapping(target, expression, *, matching=0, default=None, flow="Always", source=None):
    return {
        "defaultValue": default,
        "exportMissingReferences": False,
        "flowBehavior": "FlowWhenChanged",
        "flowType": flow,
        "matchingPriority": matching,
        "targetAttributeName": target,
        "source": source if source is not None else (src(expression) if expression is not None else None),
    }


def attr(name, type_="String", *, anchor=False, required=False, multivalued=False, mutability="ReadWrite",
         metadata=None, refs=None):
    return {
        "anchor": anchor,
        "caseExact": False,
        "defaultValue": None,
        "flowNullValues": False,
        "multivalued": multivalued,
        "mutability": mutability,
        "name": name,
        "required": required,
        "type": type_,
        "apiExpressions": [],
        "metadata": metadata or [],
        "referencedObjects": [{"referencedObjectName": r, "referencedProperty": None} for r in (refs or [])],
    }


def obj(name, attributes, metadata):
    return {"name": name, "supportedApis": [name], "attributes": attributes, "metadata": metadata}


def object_mapping_metadata(joining):
    return [
        kv("IsCustomerDefined", "false"),
        kv("DisableMonitoringForChanges", "false"),
        kv("Disposition", '"Normal"'),
        kv("ExcludeFromReporting", "false"),
        kv("EscrowBehavior", '"Default"'),
        kv("Unsynchronized", "false"),
        kv("OriginalJoiningProperty", joining),
    ]


def object_mapping(name, source_obj, target_obj, mappings, joining, *, enabled=True,
                   flow_types="Add,Update,Delete", scope=None, metadata=None):
    return {
        "enabled": enabled,
        "flowTypes": flow_types,
        "name": name,
        "scope": scope,
        "sourceObjectName": source_obj,
        "targetObjectName": target_obj,
        "attributeMappings": mappings,
        "metadata": object_mapping_metadata(joining) if metadata is None else metadata,
    }


# --------------------------------------------------------------------------------------------
# Entra ID (source) directory

def compact(value):
    return json.dumps(value, separators=(",", ":"))


# Our own, much reduced description of the complex appRoleAssignments value.
APP_ROLE_ASSIGNMENT_COMPLEX = compact({
    "definition": {
        "name": "AppRoleAssignment",
        "supportedApis": ["AppRoleAssignment"],
        "attributes": [
            {"name": "id", "type": "String", "anchor": True, "required": True},
            {"name": "appRoleId", "type": "String", "anchor": False, "required": True},
            {"name": "displayName", "type": "String", "anchor": False, "required": False},
            {"name": "value", "type": "String", "anchor": False, "required": False},
            {"name": "principalId", "type": "String", "anchor": False, "required": True},
        ],
        "metadata": [],
    }
})


def entra_user():
    s = "String"
    a = [
        attr("objectId", anchor=True),
        attr("IsSoftDeleted", "Boolean", required=True),
        attr("accountEnabled", "Boolean", required=True),
    ]
    a += [attr(n) for n in ["streetAddress", "city", "state", "postalCode", "country", "companyName", "department",
                            "employeeId", "employeeHireDate", "employeeLeaveDateTime", "employeeType",
                            "employeeOrgData.costCenter", "employeeOrgData.division"]]
    a.append(attr("dirSyncEnabled", "Boolean"))
    a.append(attr("displayName", required=True))
    a.append(attr("immutableId"))
    a.append(attr("appRoleAssignments", "Reference", metadata=[kv("ComplexObjectDefinition", APP_ROLE_ASSIGNMENT_COMPLEX)]))
    a += [attr(f"extensionAttribute{i}") for i in range(1, 16)]
    a += [attr(n) for n in ["facsimileTelephoneNumber", "givenName", "jobTitle", "mail"]]
    a.append(attr("mailNickname", required=True))
    a.append(attr("manager", "Reference", refs=["User"]))
    a += [attr(n) for n in ["mobile", "onPremisesSecurityIdentifier", "originalUserPrincipalName"]]
    a.append(attr("otherMails", multivalued=True))
    a.append(attr("passwordProfile.password", s, required=True, metadata=[kv("Secret", "true")]))
    a.append(attr("physicalDeliveryOfficeName"))
    a.append(attr("preferredLanguage", required=True))
    a.append(attr("proxyAddresses", multivalued=True))
    a.append(attr("surname", required=True))
    a += [attr(n) for n in ["telephoneNumber", "usageLocation"]]
    a.append(attr("userPrincipalName", required=True))
    assert len(a) == 53, len(a)
    return obj("User", a, [
        kv("IsSoftDeletionSupported", "true"),
        kv("ConnectorDataStorageRequired", "true"),
        kv("IsSynchronizeAllSupported", "true"),
        kv("PropertyNameAccountEnabled", "accountEnabled"),
        kv("PropertyNameSoftDeleted", "IsSoftDeleted"),
    ])


def entra_group():
    a = [
        attr("objectId", anchor=True),
        attr("displayName", required=True),
        attr("appRoleAssignments", "Reference", metadata=[kv("ComplexObjectDefinition", APP_ROLE_ASSIGNMENT_COMPLEX)]),
        attr("mail"),
        attr("description"),
        attr("isPublic", "Boolean"),
        attr("mailEnabled", "Boolean", required=True),
        attr("mailNickname", required=True),
        attr("onPremisesSecurityIdentifier"),
        attr("visibility"),
        attr("members", "Reference", multivalued=True, metadata=[kv("IsContainer", "true")], refs=["Group", "User"]),
        attr("proxyAddresses", multivalued=True),
        attr("securityEnabled", "Boolean", required=True),
        attr("groupTypes", multivalued=True),
        attr("creationOptions", multivalued=True),
    ]
    a += [attr(f"extensionAttribute{i}") for i in range(1, 16)]
    assert len(a) == 30, len(a)
    return obj("Group", a, [
        kv("IsSoftDeletionSupported", "false"),
        kv("ConnectorDataStorageRequired", "true"),
        kv("IsSynchronizeAllSupported", "true"),
        kv("PropertyNameSoftDeleted", "IsSoftDeleted"),
    ])


def entra_service_principal():
    return obj("ServicePrincipal", [
        attr("objectId", anchor=True),
        attr("appId", required=True),
        attr("displayName", required=True),
        attr("accountEnabled", "Boolean"),
        attr("servicePrincipalNames", multivalued=True),
        attr("tags", multivalued=True),
    ], [
        kv("IsSoftDeletionSupported", "false"),
        kv("ConnectorDataStorageRequired", "false"),
        kv("IsSynchronizeAllSupported", "false"),
    ])


def entra_app_role_assignment():
    return obj("AppRoleAssignment", [
        attr("objectId", anchor=True),
        attr("id", required=True),
        attr("appRoleId", required=True),
        attr("principalId", required=True),
        attr("principalType", required=True),
        attr("resourceId", required=True),
        attr("resourceDisplayName"),
    ], [
        kv("IsSoftDeletionSupported", "true"),
        kv("ConnectorDataStorageRequired", "false"),
        kv("IsSynchronizeAllSupported", "false"),
        kv("PropertyNameSoftDeleted", "IsSoftDeleted"),
    ])


def entra_directory(name, version, *, extra_objects=True):
    objects = [entra_user(), entra_group()]
    if extra_objects:
        objects += [entra_service_principal(), entra_app_role_assignment()]
    return {
        "id": ENTRA_DIR_ID,
        "discoveryDateTime": None,
        "discoverabilities": "AttributeNames,AttributeDataTypes",
        "name": name,
        "readOnly": True,
        "version": version,
        "objects": objects,
    }


# --------------------------------------------------------------------------------------------
# customappsso (target) directory

TARGET_OBJECT_METADATA = [
    kv("IsSoftDeletionSupported", "false"),
    kv("ConnectorDataStorageRequired", "true"),
    kv("IsSynchronizeAllSupported", "false"),
]

WORK = 'addresses[type eq "work"].'


def scim_user():
    a = [
        attr("id", anchor=True, required=True),
        attr("userName", required=True),
        attr("active", "Boolean"),
        attr("displayName"),
        attr("title"),
        attr('emails[type eq "work"].value'),
        attr("preferredLanguage"),
        attr("name.givenName"),
        attr("name.familyName"),
        attr("name.formatted"),
    ]
    a += [attr(WORK + p) for p in ["formatted", "streetAddress", "locality", "region", "postalCode", "country"]]
    a += [attr(f'phoneNumbers[type eq "{t}"].value') for t in ["work", "mobile", "fax"]]
    a.append(attr("externalId"))
    a.append(attr(ENT + "employeeNumber"))
    a.append(attr(ENT + "department"))
    a.append(attr(ENT + "manager", "Reference", refs=[SCIM_USER]))
    a += [attr(f'roles[primary eq "True"].{p}') for p in ["display", "type", "value"]]
    assert len(a) == 26, len(a)
    return obj(SCIM_USER, a, list(TARGET_OBJECT_METADATA))


def scim_group(*, with_description=False):
    a = [
        attr("id", anchor=True, required=True),
        attr("displayName", required=True),
        attr("externalId"),
        attr("members", "Reference", multivalued=True, metadata=[kv("IsContainer", "true")],
             refs=[SCIM_USER, SCIM_GROUP]),
    ]
    if with_description:
        a.append(attr(ENT_GROUP_DESCRIPTION))
    return obj(SCIM_GROUP, a, list(TARGET_OBJECT_METADATA))


def target_directory(version, *, group_description=False):
    return {
        "id": TARGET_DIR_ID,
        "discoveryDateTime": None,
        "discoverabilities": "None",
        "name": TARGET_DIR,
        "readOnly": False,
        "version": version,
        "objects": [scim_group(with_description=group_description), scim_user()],
    }


# --------------------------------------------------------------------------------------------
# Mappings

SWITCH_ACTIVE = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'
JOIN_FORMATTED = 'Join(" ", [givenName], [surname])'


def default_user_mappings():
    """The 22 default user mappings of a new non-gallery app, in portal order."""
    rows = [
        ("userName", "[userPrincipalName]"),
        ("active", SWITCH_ACTIVE),
        ("displayName", "[displayName]"),
        ("title", "[jobTitle]"),
        ('emails[type eq "work"].value', "[mail]"),
        ("preferredLanguage", "[preferredLanguage]"),
        ("name.givenName", "[givenName]"),
        ("name.familyName", "[surname]"),
        ("name.formatted", JOIN_FORMATTED),
        (WORK + "formatted", "[physicalDeliveryOfficeName]"),
        (WORK + "streetAddress", "[streetAddress]"),
        (WORK + "locality", "[city]"),
        (WORK + "region", "[state]"),
        (WORK + "postalCode", "[postalCode]"),
        (WORK + "country", "[country]"),
        ('phoneNumbers[type eq "work"].value', "[telephoneNumber]"),
        ('phoneNumbers[type eq "mobile"].value', "[mobile]"),
        ('phoneNumbers[type eq "fax"].value', "[facsimileTelephoneNumber]"),
        ("externalId", "[mailNickname]"),
        (ENT + "employeeNumber", "[employeeId]"),
        (ENT + "department", "[department]"),
        (ENT + "manager", "[manager]"),
    ]
    out = []
    for target, expr in rows:
        out.append(mapping(target, expr,
                           matching=1 if target == "userName" else 0,
                           default="" if target == "active" else None))
    assert len(out) == 22
    return out


def default_group_mappings():
    return [
        mapping("displayName", "[displayName]", matching=1),
        mapping("externalId", "[objectId]"),
        mapping("members", "[members]"),
    ]


def default_source_object_mappings():
    """Our own small stand-in for the rule metadata blob (PascalCase, numeric enums, JSON in a string)."""
    def am(target, matching=0, default=None):
        return {"DefaultValue": default, "ExportMissingReferences": False, "FlowBehavior": 0, "FlowType": 0,
                "MatchingPriority": matching, "Source": None, "TargetAttributeName": target}

    def om(target, joining, mappings):
        return {"AttributeMappings": mappings, "Enabled": False, "FlowTypes": 7, "Name": None,
                "OriginalJoiningProperty": joining, "Scope": None, "SourceObjectName": "",
                "TargetObjectName": target}

    return compact([
        om("User", "userPrincipalName", [am("userPrincipalName", 1), am("accountEnabled", default="True"),
                                         am("IsSoftDeleted", default="False")]),
        om("Group", "displayName", [am("displayName", 1), am("securityEnabled", default="True")]),
    ])


def rule(source_dir, object_mappings, metadata):
    return {
        "containerFilter": None,
        "editable": True,
        "groupFilter": None,
        "id": RULE_ID,
        "name": "USERGROUP_OUTBOUND_USERGROUP",
        "priority": 1,
        "sourceDirectoryName": source_dir,
        "targetDirectoryName": TARGET_DIR,
        "metadata": metadata,
        "objectMappings": object_mappings,
    }


def schema(app, version, rules, directories):
    base = f"https://graph.microsoft.com/beta/$metadata#servicePrincipals('{app['sp']}')/synchronization/jobs('{app['job']}')/schema"
    return {
        "@odata.context": base + "/$entity",
        "id": app["job"],
        "version": version,
        "synchronizationRules": rules,
        "directories@odata.context": base + "/directories",
        "directories": directories,
    }


USERS_LABEL_2024 = "Provision Microsoft Entra ID Users"
GROUPS_LABEL_2024 = "Provision Microsoft Entra ID Groups"
USERS_LABEL_2023 = "Provision Azure Active Directory Users"
GROUPS_LABEL_2023 = "Provision Azure Active Directory Groups"


def rule_metadata():
    return [kv("defaultSourceObjectMappings", default_source_object_mappings()),
            kv("supportsProvisionOnDemand", "true")]


# --------------------------------------------------------------------------------------------
# The three samples

def entra_defaults():
    users = object_mapping(USERS_LABEL_2024, "User", SCIM_USER, default_user_mappings(), "userName")
    groups = object_mapping(GROUPS_LABEL_2024, "Group", SCIM_GROUP, default_group_mappings(), "displayName")
    return schema(APP, VERSION_DEFAULTS,
                  [rule(ENTRA_2024, [groups, users], rule_metadata())],
                  [entra_directory(ENTRA_2024, VERSION_DEFAULTS), target_directory(VERSION_DEFAULTS)])


def astrato():
    # Rows edited or added in the portal carry defaultValue "" (the portal writes an empty string);
    # untouched default rows keep null.
    users = object_mapping(USERS_LABEL_2024, "User", SCIM_USER, [
        mapping("userName", "[mail]", matching=1, default=""),
        mapping("active", "Not([IsSoftDeleted])", default=""),
        mapping("displayName", "[displayName]"),
        mapping("name.givenName", "[givenName]"),
        mapping("name.familyName", "[surname]"),
        mapping(ENT + "employeeNumber", "[objectId]", default=""),
    ], "userName")
    groups = object_mapping(GROUPS_LABEL_2024, "Group", SCIM_GROUP, [
        mapping("displayName", "[displayName]", matching=1),
        mapping("externalId", "[objectId]"),
        mapping("members", "[members]"),
        mapping(ENT_GROUP_DESCRIPTION, "[description]", default=""),
    ], "displayName")
    return schema(APP, VERSION_ASTRATO,
                  [rule(ENTRA_2024, [groups, users], rule_metadata())],
                  [entra_directory(ENTRA_2024, VERSION_ASTRATO),
                   target_directory(VERSION_ASTRATO, group_description=True)])


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# An obviously fake JWT (HS256 header, invented claims, signature bytes spell "not-a-real-signature").
FAKE_JWT = ".".join([
    b64url(compact({"alg": "HS256", "typ": "JWT"}).encode()),
    b64url(compact({"iss": "https://scim.example.invalid", "sub": "mapping-lint-sample-tenant",
                    "iat": 1697532291, "scope": "scim"}).encode()),
    b64url(b"not-a-real-signature"),
])

# Planted problems: (rule, index of user attribute mapping, JSON Pointer suffix). Filled by broken().
PLANTED = []


def broken():
    PLANTED.clear()
    users = []

    def add(m, *findings):
        idx = len(users)
        users.append(m)
        for rule_name, suffix in findings:
            PLANTED.append((rule_name, f"/synchronizationRules/0/objectMappings/0/attributeMappings/{idx}{suffix}"))

    add(mapping("userName", "ToLowr([userPrincipalName])", matching=1),
        ("unknown-function", "/source/expression"))
    add(mapping("active", "[accountEnabled]", default=""),
        ("soft-delete-not-mapped", "/source"))
    add(mapping("displayName",
                'SelectUniqueValue(Join(" ", [givenName], [surname]), Join(" ", [givenName], [surname], Mid([objectId], 1, 4)))',
                flow="ObjectAddOnly"),
        ("unsupported-function", "/source/expression"))
    add(mapping("title", "[jobTitle]"))
    add(mapping('emails[type eq "work"].value', "[Mail]"),
        ("unknown-source-attribute", "/source/expression"))
    add(mapping("preferredLanguage", "[preferredLanguage]", flow="Sometimes"),
        ("unknown-enum-value", "/flowType"))
    add(mapping("name.givenName", "[givenName]"))
    add(mapping("name.familyName", "[surname]"))
    # Hand-edited expression text with an unterminated string; the tree still holds the old value.
    formatted = mapping("name.formatted", JOIN_FORMATTED)
    formatted["source"]["expression"] = 'Join(" ", [givenName], "[surname])'
    add(formatted, ("expression-syntax", "/source/expression"))
    add(mapping("externalId", "[objectId]", matching=1, flow="ObjectAddOnly"),
        ("duplicate-matching-priority", "/matchingPriority"),
        ("add-only-flow", "/flowType"))
    add(mapping(ENT + "employeeNumber", "Trim([employeeId])"),
        ("undocumented-function", "/source/expression"))
    add(mapping(ENT + "department", 'Switch([department], "Other", "Sales", "SLS", "Marketing")'),
        ("function-arity", "/source/expression"))
    add(mapping(ENT + "manager", "[manager]"))
    add(mapping(ENT + "costCenter", "[employeeOrgData.costCenter]"),
        ("unknown-target-attribute", "/targetAttributeName"))
    add(mapping("id", "[objectId]"),
        ("anchor-mapped", "/targetAttributeName"))
    add(mapping('phoneNumbers[type eq "work"].value', "[telephoneNumber]"))
    add(mapping('phoneNumbers[type eq "work"].value', "[mobile]"),
        ("duplicate-target-attribute", "/targetAttributeName"))
    add(mapping('roles[primary eq "True"].value', "[appRoleAssignments]"),
        ("app-role-assignments-direct", "/source"))
    # Expression text edited in the schema editor, parameters left as they were.
    country = mapping(WORK + "country", "ToUpper([country])")
    country["source"]["expression"] = "ToUpper([usageLocation])"
    add(country, ("source-tree-mismatch", "/source"))

    scope = {
        "groups": [
            {
                "name": "Only users with a manager",
                "clauses": [
                    {"operatorName": "IS NOT NULL", "sourceOperandName": "manager", "targetOperand": None},
                ],
            },
        ],
        "inputFilterGroups": [],
        "categoryFilterGroups": [],
    }
    PLANTED.append(("scope-unsupported",
                    "/synchronizationRules/0/objectMappings/0/scope/groups/0/clauses/0/sourceOperandName"))
    user_om = object_mapping(USERS_LABEL_2023, "User", SCIM_USER, users, "userName",
                             flow_types="Add,Update", scope=scope)
    PLANTED.append(("object-actions", "/synchronizationRules/0/objectMappings/0/flowTypes"))

    group_om = object_mapping(GROUPS_LABEL_2023, "Group", SCIM_GROUP, [
        mapping("displayName", "[displayName]"),
        mapping("externalId", "[objectId]"),
        mapping("members", "[members]"),
        mapping("description", "[description]", default=""),
    ], "displayName")
    PLANTED.append(("missing-matching-attribute", "/synchronizationRules/0/objectMappings/1"))
    PLANTED.append(("unknown-target-attribute",
                    "/synchronizationRules/0/objectMappings/1/attributeMappings/3/targetAttributeName"))

    contacts_om = object_mapping("Provision Azure Active Directory Contacts", "Contact", SCIM_USER, [],
                                 "userName", enabled=False, metadata=[])
    PLANTED.append(("unknown-directory", "/synchronizationRules/0/objectMappings/2/sourceObjectName"))

    metadata = [kv("supportsProvisionOnDemand", "true"), kv("SecretToken", FAKE_JWT)]
    PLANTED.append(("secret-in-export", "/synchronizationRules/0/metadata/1/value"))

    return schema(BROKEN_APP, VERSION_BROKEN,
                  [rule(ENTRA_2023, [user_om, group_om, contacts_om], metadata)],
                  [entra_directory(ENTRA_2023, VERSION_BROKEN, extra_objects=False),
                   target_directory(VERSION_BROKEN)])


def dump(value):
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def main(argv):
    if "--pointers" in argv:
        broken()
        for rule_name, pointer in sorted(PLANTED, key=lambda p: p[1]):
            print(f"{rule_name:30} {pointer}")
        return 0
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "samples"
    out.mkdir(parents=True, exist_ok=True)
    for name, build in [("entra-defaults.json", entra_defaults), ("astrato.json", astrato), ("broken.json", broken)]:
        (out / name).write_text(dump(build()), encoding="utf-8", newline="\n")
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
