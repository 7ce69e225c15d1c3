//! The client assertion of certificate credentials: a JWT signed with the
//! certificate's private key, as Microsoft Entra's "certificate credentials"
//! document describes (https://learn.microsoft.com/entra/identity-platform/certificate-credentials):
//! header `alg: PS256`, `typ: JWT` and `x5t#S256` (the base64url SHA-256
//! thumbprint of the certificate); claims `aud` (the token endpoint), `iss`
//! and `sub` (the client id), `jti`, `nbf`, `iat` and `exp` (ten minutes).
//!
//! PEM parsing comes from `rustls-pki-types`, signing and hashing from
//! `ring` — both already in the build for TLS, so certificate support adds
//! no dependency.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{RSA_PSS_SHA256, RsaKeyPair};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use std::time::{SystemTime, UNIX_EPOCH};

/// How long an assertion is valid.
const LIFETIME_SECS: u64 = 600;

/// Parses the PEM (certificate + RSA key) and builds a signed assertion.
pub fn client_assertion(pem: &[u8], client_id: &str, audience: &str, now: SystemTime) -> Result<String, String> {
    let certificate =
        CertificateDer::from_pem_slice(pem).map_err(|e| format!("no certificate in the PEM file ({e})"))?;
    let key = PrivateKeyDer::from_pem_slice(pem).map_err(|e| format!("no private key in the PEM file ({e})"))?;
    let pair = match &key {
        PrivateKeyDer::Pkcs8(der) => RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()),
        PrivateKeyDer::Pkcs1(der) => RsaKeyPair::from_der(der.secret_pkcs1_der()),
        _ => return Err("the private key is not an RSA key (Entra certificate credentials use RSA)".into()),
    }
    .map_err(|e| format!("the private key cannot be used: {e}"))?;
    let thumbprint = ring::digest::digest(&ring::digest::SHA256, certificate.as_ref());
    let header = serde_json::json!({
        "alg": "PS256",
        "typ": "JWT",
        "x5t#S256": URL_SAFE_NO_PAD.encode(thumbprint.as_ref()),
    });
    let rng = SystemRandom::new();
    let mut jti = [0u8; 16];
    rng.fill(&mut jti)
        .map_err(|_| "no random numbers available".to_string())?;
    let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let claims = serde_json::json!({
        "aud": audience,
        "iss": client_id,
        "sub": client_id,
        "jti": jti.iter().map(|b| format!("{b:02x}")).collect::<String>(),
        "nbf": now,
        "iat": now,
        "exp": now + LIFETIME_SECS,
    });
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut signature = vec![0u8; pair.public().modulus_len()];
    pair.sign(&RSA_PSS_SHA256, &rng, signing_input.as_bytes(), &mut signature)
        .map_err(|_| "signing failed".to_string())?;
    Ok(format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::signature::{KeyPair, RSA_PSS_2048_8192_SHA256, UnparsedPublicKey};

    /// A throwaway self-signed test certificate and key (tests/fixtures/live).
    const PEM: &str = include_str!("../../tests/fixtures/live/client-cert.pem");

    #[test]
    fn the_assertion_is_a_verifiable_ps256_jwt_with_the_documented_claims() {
        let now = UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let jwt = client_assertion(
            PEM.as_bytes(),
            "client-1",
            "https://login.example/t/oauth2/v2.0/token",
            now,
        )
        .unwrap();
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        let decode =
            |s: &str| -> serde_json::Value { serde_json::from_slice(&URL_SAFE_NO_PAD.decode(s).unwrap()).unwrap() };
        let header = decode(parts[0]);
        assert_eq!(header["alg"], "PS256");
        let cert = CertificateDer::from_pem_slice(PEM.as_bytes()).unwrap();
        let thumb = ring::digest::digest(&ring::digest::SHA256, cert.as_ref());
        assert_eq!(header["x5t#S256"], URL_SAFE_NO_PAD.encode(thumb.as_ref()));
        let claims = decode(parts[1]);
        assert_eq!(claims["aud"], "https://login.example/t/oauth2/v2.0/token");
        assert_eq!(claims["iss"], "client-1");
        assert_eq!(claims["sub"], "client-1");
        assert_eq!(claims["exp"], 1_700_000_600);
        assert_eq!(claims["jti"].as_str().unwrap().len(), 32);
        // The signature verifies with the key's public half.
        let key = PrivateKeyDer::from_pem_slice(PEM.as_bytes()).unwrap();
        let PrivateKeyDer::Pkcs8(der) = key else {
            panic!("fixture is PKCS#8")
        };
        let pair = RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()).unwrap();
        let public = UnparsedPublicKey::new(&RSA_PSS_2048_8192_SHA256, pair.public_key().as_ref().to_vec());
        let signed = format!("{}.{}", parts[0], parts[1]);
        public
            .verify(signed.as_bytes(), &URL_SAFE_NO_PAD.decode(parts[2]).unwrap())
            .unwrap();
    }

    #[test]
    fn a_pem_without_a_key_is_explained() {
        let cert_only: String = PEM.split("-----BEGIN PRIVATE KEY-----").next().unwrap().to_string();
        let err = client_assertion(cert_only.as_bytes(), "c", "a", SystemTime::now()).unwrap_err();
        assert!(err.contains("no private key"), "{err}");
    }
}
