#!/usr/bin/env python3
"""Writes samples/profiles/<profile>.json and <profile>-mistakes.json.

For every built-in application profile: an export made from the tables of
the application's Entra tutorial (it lints clean under the profile), and one
with the mistakes the tutorial warns about. Each starts from
samples/entra-defaults.json (a new non-gallery app), replaces the user and
group attribute mappings and adds the target attribute definitions the
mappings need. Deterministic: running it twice gives identical files.

Function sources are written with an empty parameter list; the script then
runs `mapping-lint check --fix --select source-tree-mismatch` so that the
tool itself builds each source tree from its expression text.

    python3 scripts/gen_profile_samples.py     # needs `cargo build` first
"""

import copy
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "samples", "profiles")
SWITCH = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'
ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"

# Types of targets the default customappsso objects lack.
TYPES = {"members": "Reference", "active": "Boolean"}


def row(target, expression, matching=0, flow="Always"):
    return (target, expression, matching, flow)


DEFAULT_GROUPS = [
    row("displayName", "[displayName]", 1),
    row("externalId", "[objectId]"),
    row("members", "[members]"),
]

PROFILES = {
    "slack": {
        "users": [
            row("userName", "Mid([mailNickname], 1, 20)", 1),
            row("active", SWITCH),
            row("displayName", "[displayName]", flow="ObjectAddOnly"),
            row("externalId", "[objectId]"),
            row("name.givenName", "[givenName]"),
            row("name.familyName", "[surname]"),
            row("title", "[jobTitle]"),
            row('emails[type eq "work"].value', "[mail]"),
            row("urn:scim:schemas:extension:enterprise:1.0.department", "[department]"),
        ],
        "groups": [row("displayName", "[displayName]", 1), row("members", "[members]")],
        "mistakes": {
            "userName": row("userName", "[userPrincipalName]", 1),
            "displayName": row("displayName", "[mail]"),
            "urn:scim:schemas:extension:enterprise:1.0.department": row(ENT + "department", "[department]"),
        },
    },
    "github-emu": {
        "users": [
            row("externalId", "[objectId]", 1),
            row("userName", "[userPrincipalName]"),
            row("active", SWITCH),
            row("displayName", "[displayName]"),
            row("name.givenName", "[givenName]"),
            row("name.familyName", "[surname]"),
            row('emails[type eq "work"].value', "[mail]"),
        ],
        "groups": [
            row("externalId", "[objectId]", 1),
            row("displayName", "[displayName]"),
            row("members", "[members]"),
        ],
        "mistakes": {
            # Entra's non-gallery default, and matching on userName.
            "externalId": row("externalId", "[mailNickname]"),
            "userName": row("userName", "[userPrincipalName]", 1),
        },
    },
    "aws-iam-identity-center": {
        "template": "aWSSingleSignon",
        "users": [
            row("userName", "[userPrincipalName]", 1),
            row("active", SWITCH),
            row("displayName", "[displayName]"),
            row("name.givenName", "Coalesce([givenName], [mailNickname])"),
            row("name.familyName", "Coalesce([surname], [mailNickname])"),
            row('emails[type eq "work"].value', "[mail]"),
            row('phoneNumbers[type eq "work"].value', "[telephoneNumber]"),
            row("title", "[jobTitle]"),
            row("externalId", "[mailNickname]"),
        ],
        "groups": DEFAULT_GROUPS,
        "mistakes": {
            "name.givenName": row("name.givenName", "[givenName]"),
            "+1": row('emails[type eq "other"].value', "Item([otherMails], 1)"),
            "+2": row('phoneNumbers[type eq "mobile"].value', "[mobile]"),
        },
    },
    "atlassian-cloud": {
        "users": [
            row("userName", "[userPrincipalName]", 1),
            row("active", SWITCH),
            row("name.givenName", "[givenName]"),
            row("name.familyName", "[surname]"),
            row('emails[type eq "work"].value', "Coalesce([mail], [userPrincipalName])"),
        ],
        "groups": DEFAULT_GROUPS,
        "mistakes": {
            'emails[type eq "work"].value': row('emails[type eq "work"].value', "[mail]"),
            "+1": row("title", "[jobTitle]"),
        },
    },
    "zoom": {
        "users": [
            row("userName", "[userPrincipalName]", 1),
            row("active", SWITCH),
            row("name.givenName", "[givenName]"),
            row("name.familyName", "[surname]"),
            row('emails[type eq "work"].value', "[mail]"),
            row(ENT + "department", "[department]"),
        ],
        "groups": None,
        "mistakes": {
            "userName": row("userName", "[userPrincipalName]"),
            'emails[type eq "work"].value': row('emails[type eq "work"].value', "[mail]", 1),
            "+1": row('phoneNumbers[type eq "work"].value', "[telephoneNumber]"),
        },
    },
    "snowflake": {
        "users": [
            row("userName", "[userPrincipalName]", 1),
            row("active", SWITCH),
            row("displayName", "[displayName]"),
            row('emails[type eq "work"].value', "[mail]"),
            row("name.givenName", "[givenName]"),
            row("name.familyName", "[surname]"),
            row("externalId", "[mailNickname]"),
        ],
        "groups": [row("displayName", "[displayName]", 1), row("members", "[members]")],
        "mistakes": {
            "active": row("active", "[accountEnabled]"),
        },
    },
    "cloudflare": {
        "users": None,  # Entra's defaults, unchanged
        "groups": None,
        "mistakes": {
            "active": row("active", "[accountEnabled]"),
        },
    },
    "databricks": {
        "template": "dataBricks",
        "users": [
            row("userName", "[userPrincipalName]", 1),
            row('emails[type eq "work"].value', "[userPrincipalName]"),
            row("active", SWITCH),
            row("displayName", "[displayName]"),
            row("name.givenName", "[givenName]"),
            row("name.familyName", "[surname]"),
        ],
        "groups": DEFAULT_GROUPS,
        "mistakes": {
            "userName": row("userName", "[mail]", 1),
            'emails[type eq "work"].value': row('emails[type eq "work"].value', "[mail]"),
        },
    },
}


def source(expression):
    m = re.fullmatch(r"\[([^\]]+)\]", expression)
    if m:
        return {"expression": expression, "name": m.group(1), "type": "Attribute", "parameters": []}
    name = expression.split("(", 1)[0]
    return {"expression": expression, "name": name, "type": "Function", "parameters": []}


def mapping(r):
    target, expression, matching, flow = r
    return {
        "defaultValue": None,
        "exportMissingReferences": False,
        "flowBehavior": "FlowWhenChanged",
        "flowType": flow,
        "matchingPriority": matching,
        "targetAttributeName": target,
        "source": source(expression),
    }


def definition(name, template):
    d = copy.deepcopy(template)
    d.update(
        {
            "anchor": False,
            "name": name,
            "required": False,
            "multivalued": name == "members",
            "type": TYPES.get(name, "String"),
            "referencedObjects": [],
        }
    )
    return d


def build(base, users, groups, template=None):
    doc = copy.deepcopy(base)
    if template:
        # The job id starts with the gallery app's template id.
        doc["id"] = template + doc["id"][doc["id"].index("."):]
    rule = doc["synchronizationRules"][0]
    by_source = {om["sourceObjectName"]: om for om in rule["objectMappings"]}
    target_dir = next(d for d in doc["directories"] if d["name"] == rule["targetDirectoryName"])
    for om_source, rows in (("User", users), ("Group", groups)):
        if rows is None:
            continue
        om = by_source[om_source]
        om["attributeMappings"] = [mapping(r) for r in rows]
        obj = next(o for o in target_dir["objects"] if o["name"] == om["targetObjectName"])
        names = {a["name"] for a in obj["attributes"]}
        template = next(a for a in obj["attributes"] if a["name"] == "displayName")
        for r in rows:
            if r[0] not in names:
                obj["attributes"].append(definition(r[0], template))
                names.add(r[0])
    return doc


def current_rows(base, source_object):
    rule = base["synchronizationRules"][0]
    om = next(o for o in rule["objectMappings"] if o["sourceObjectName"] == source_object)
    return [
        row(a["targetAttributeName"], a["source"]["expression"], a["matchingPriority"], a["flowType"])
        for a in om["attributeMappings"]
    ]


def with_mistakes(rows, mistakes):
    out = []
    for r in rows:
        if r[0] in mistakes:
            out.append(mistakes[r[0]])
        else:
            out.append(r)
    out.extend(v for k, v in mistakes.items() if k.startswith("+"))
    return out


def write(path, doc):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def main():
    binary = os.path.join(ROOT, "target", "debug", "mapping-lint")
    if not os.path.exists(binary):
        sys.exit("build the binary first: cargo build")
    with open(os.path.join(ROOT, "samples", "entra-defaults.json"), encoding="utf-8") as f:
        base = json.load(f)
    os.makedirs(OUT, exist_ok=True)
    written = []
    for name, spec in PROFILES.items():
        users = spec["users"] if spec["users"] is not None else current_rows(base, "User")
        groups = spec["groups"]
        template = spec.get("template")
        clean = build(base, users, groups, template)
        bad = build(base, with_mistakes(users, spec["mistakes"]), groups, template)
        for suffix, doc in (("", clean), ("-mistakes", bad)):
            path = os.path.join(OUT, f"{name}{suffix}.json")
            write(path, doc)
            written.append(path)
    subprocess.run(
        [binary, "check", "--profile", "none", "--select", "source-tree-mismatch", "--fix", "-q", *written],
        check=False,
    )


if __name__ == "__main__":
    main()
