//! Pulls the QRS API exports that [`crate::read_estate`] reads from a live Qlik Sense server.
//!
//! Requests go over HTTPS to the QRS port (4242 by default) with the site's client certificate
//! (`client.pem` and `client_key.pem` from the server's certificate export). The `X-Qlik-User`
//! header names the repository user to act as. QRS rejects requests whose `xrfkey` query
//! parameter differs from the `X-Qlik-Xrfkey` header, as a defense against cross-site request
//! forgery.
//! Each endpoint's response is written unchanged to `<output>/qrs/<name>.json`, next to a
//! `qready-collect.json` manifest.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use qready_model::{InputFormat, Provenance, Site};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use ureq::tls::{Certificate, ClientCert, PemItem, PrivateKey, RootCerts, TlsConfig};

use crate::collected::Collected;
use crate::json::non_empty;

/// File name of the manifest written next to the exports.
pub const MANIFEST_FILE: &str = "qready-collect.json";

/// Largest response read, in bytes.
const MAX_RESPONSE_BYTES: u64 = 1024 * 1024 * 1024;

/// QRS endpoints pulled, each with the file name its response is written to.
pub const ENDPOINTS: &[(&str, &str)] = &[
    ("app/full", "app.json"),
    ("app/object/full", "app_object.json"),
    ("dataconnection/full", "dataconnection.json"),
    ("extension/full", "extension.json"),
    ("reloadtask/full", "reloadtask.json"),
    ("schemaevent/full", "schemaevent.json"),
    ("compositeevent/full", "compositeevent.json"),
    ("stream/full", "stream.json"),
    (
        "custompropertydefinition/full",
        "custompropertydefinition.json",
    ),
    ("systemrule/full", "systemrule.json"),
    ("user/full", "user.json"),
];

/// Settings of one collection run.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// Host name or address of the Qlik Sense central node.
    pub server: String,
    /// QRS port; 4242 unless the site changed it.
    pub port: u16,
    /// PEM file with the client certificate (and optionally its chain).
    pub client_cert: PathBuf,
    /// PEM file with the client certificate's private key.
    pub client_key: PathBuf,
    /// PEM file with the certificate authority that signed the server certificate. Without it
    /// the server certificate is checked against the public web roots.
    pub ca_file: Option<PathBuf>,
    /// Skips verification of the server certificate. Only for test sites.
    pub insecure: bool,
    /// Value of the `X-Qlik-User` header.
    pub user_header: String,
    /// Folder the exports are written to; created when missing.
    pub output: PathBuf,
    /// Time limit for each request.
    pub timeout: Duration,
}

impl CollectOptions {
    /// Options with the defaults: port 4242, the `INTERNAL\sa_repository` user, a 5-minute
    /// timeout per request.
    pub fn new(
        server: impl Into<String>,
        client_cert: impl Into<PathBuf>,
        client_key: impl Into<PathBuf>,
        output: impl Into<PathBuf>,
    ) -> CollectOptions {
        CollectOptions {
            server: server.into(),
            port: 4242,
            client_cert: client_cert.into(),
            client_key: client_key.into(),
            ca_file: None,
            insecure: false,
            user_header: "UserDirectory=INTERNAL; UserId=sa_repository".to_owned(),
            output: output.into(),
            timeout: Duration::from_secs(300),
        }
    }
}

/// Files a collection run wrote, and endpoints that failed.
#[derive(Debug, Clone, Default)]
pub struct CollectSummary {
    /// Files written, with the endpoint and the number of records in each.
    pub files: Vec<CollectedFile>,
    /// Endpoints that returned an error status, with the status and its text.
    pub failed: Vec<(String, String)>,
    pub manifest: PathBuf,
}

/// One export file written by [`collect`].
#[derive(Debug, Clone)]
pub struct CollectedFile {
    pub endpoint: String,
    pub path: PathBuf,
    pub records: usize,
}

/// Errors that stop a collection run.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("failed to read {what} '{path}': {message}")]
    Credentials {
        what: &'static str,
        path: PathBuf,
        message: String,
    },
    #[error("failed to write '{path}': {source}")]
    Output {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("request to {url} failed: {source}; check the server name, port and certificates")]
    Request { url: String, source: ureq::Error },
    #[error("{url} returned a response that is not JSON: {source}")]
    InvalidResponse {
        url: String,
        source: serde_json::Error,
    },
}

/// Pulls every endpoint of [`ENDPOINTS`] into `options.output/qrs/`.
///
/// A transport or TLS error stops the run, because every later request would fail the same
/// way. An error status on one endpoint (for example 403 on `user/full` for a user without
/// that right) is recorded in [`CollectSummary::failed`] and the run goes on.
pub fn collect(options: &CollectOptions) -> Result<CollectSummary, CollectError> {
    let agent = agent(options)?;
    let folder = options.output.join("qrs");
    std::fs::create_dir_all(&folder).map_err(|source| CollectError::Output {
        path: folder.clone(),
        source,
    })?;
    let xrfkey = new_xrfkey();
    let mut summary = CollectSummary::default();
    for (endpoint, file_name) in ENDPOINTS {
        let url = format!(
            "https://{}:{}/qrs/{endpoint}?xrfkey={xrfkey}",
            options.server, options.port
        );
        tracing::info!(endpoint, "requesting QRS endpoint");
        let mut response = agent
            .get(&url)
            .header("X-Qlik-Xrfkey", &xrfkey)
            .header("X-Qlik-User", &options.user_header)
            .header("Accept", "application/json")
            .call()
            .map_err(|source| CollectError::Request {
                url: url.clone(),
                source,
            })?;
        let status = response.status();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES)
            .read_to_vec()
            .map_err(|source| CollectError::Request {
                url: url.clone(),
                source,
            })?;
        if !status.is_success() {
            let reason = status.canonical_reason().unwrap_or("error");
            tracing::warn!(endpoint, status = status.as_u16(), "QRS endpoint failed");
            summary.failed.push((
                endpoint.to_string(),
                format!("{} {reason}", status.as_u16()),
            ));
            continue;
        }
        let value: Value =
            serde_json::from_slice(&body).map_err(|source| CollectError::InvalidResponse {
                url: url.clone(),
                source,
            })?;
        let path = folder.join(file_name);
        std::fs::write(&path, &body).map_err(|source| CollectError::Output {
            path: path.clone(),
            source,
        })?;
        let records = value.as_array().map_or(1, Vec::len);
        tracing::info!(endpoint, records, "wrote QRS export");
        summary.files.push(CollectedFile {
            endpoint: endpoint.to_string(),
            path,
            records,
        });
    }
    summary.manifest = write_manifest(options, &summary)?;
    Ok(summary)
}

fn agent(options: &CollectOptions) -> Result<ureq::Agent, CollectError> {
    let read = |what, path: &Path| {
        std::fs::read(path).map_err(|error| CollectError::Credentials {
            what,
            path: path.to_owned(),
            message: error.to_string(),
        })
    };
    let certificate_pem = read("client certificate", &options.client_cert)?;
    let chain: Vec<Certificate<'static>> = ureq::tls::parse_pem(&certificate_pem)
        .filter_map(|item| match item {
            Ok(PemItem::Certificate(certificate)) => Some(certificate),
            _ => None,
        })
        .collect();
    if chain.is_empty() {
        return Err(CollectError::Credentials {
            what: "client certificate",
            path: options.client_cert.clone(),
            message: "no PEM certificate in the file".to_owned(),
        });
    }
    let key_pem = read("client key", &options.client_key)?;
    let key = PrivateKey::from_pem(&key_pem).map_err(|error| CollectError::Credentials {
        what: "client key",
        path: options.client_key.clone(),
        message: error.to_string(),
    })?;
    let mut tls = TlsConfig::builder()
        .client_cert(Some(ClientCert::new_with_certs(&chain, key)))
        .disable_verification(options.insecure);
    if let Some(ca_file) = &options.ca_file {
        let ca_pem = read("CA certificate", ca_file)?;
        let roots: Vec<Certificate<'static>> = ureq::tls::parse_pem(&ca_pem)
            .filter_map(|item| match item {
                Ok(PemItem::Certificate(certificate)) => Some(certificate),
                _ => None,
            })
            .collect();
        if roots.is_empty() {
            return Err(CollectError::Credentials {
                what: "CA certificate",
                path: ca_file.clone(),
                message: "no PEM certificate in the file".to_owned(),
            });
        }
        tls = tls.root_certs(RootCerts::new_with_certs(&roots));
    }
    let config = ureq::Agent::config_builder()
        .tls_config(tls.build())
        .timeout_global(Some(options.timeout))
        .http_status_as_error(false)
        .build();
    Ok(config.into())
}

/// Makes a 16-character alphanumeric key, different on each call.
fn new_xrfkey() -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    let seed = format!(
        "{:?}{}{:p}",
        std::time::SystemTime::now(),
        std::process::id(),
        &ALPHABET
    );
    Sha256::digest(seed.as_bytes())
        .iter()
        .take(16)
        .map(|byte| ALPHABET[usize::from(*byte) % ALPHABET.len()] as char)
        .collect()
}

fn write_manifest(
    options: &CollectOptions,
    summary: &CollectSummary,
) -> Result<PathBuf, CollectError> {
    let manifest = json!({
        "qreadyCollect": 1,
        "server": options.server,
        "port": options.port,
        "collectedAt": Utc::now().to_rfc3339(),
        "files": summary.files.iter().map(|file| json!({
            "endpoint": file.endpoint,
            "file": file.path.file_name().map(|n| n.to_string_lossy().into_owned()),
            "records": file.records,
        })).collect::<Vec<_>>(),
        "failed": summary.failed.iter().map(|(endpoint, status)| json!({
            "endpoint": endpoint,
            "status": status,
        })).collect::<Vec<_>>(),
    });
    let path = options.output.join(MANIFEST_FILE);
    let text = serde_json::to_string_pretty(&manifest).expect("the manifest serializes");
    std::fs::write(&path, text).map_err(|source| CollectError::Output {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// Checks whether JSON is a manifest written by [`collect`].
pub(crate) fn is_manifest(value: &Value) -> bool {
    value.get("qreadyCollect").is_some()
}

/// Reads the site a manifest names.
pub(crate) fn read_manifest(path: &Path, value: &Value, out: &mut Collected) {
    if let Some(host) = non_empty(value, "server") {
        out.site = Some(Site {
            host,
            collected_at: non_empty(value, "collectedAt"),
            provenance: Provenance::file(path, InputFormat::CollectManifest),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xrfkey_is_sixteen_alphanumerics() {
        let key = new_xrfkey();
        assert_eq!(key.len(), 16);
        assert!(key.chars().all(|c| c.is_ascii_alphanumeric()), "{key}");
    }
}
