//! `collect` against a loopback HTTPS server started in the test: certificates are generated
//! here, the server requires a client certificate signed by the test CA, and it replays the
//! QRS responses of `tests/fixtures/site/qrs`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use qready_ingest::collect::{CollectError, CollectOptions, ENDPOINTS, collect};
use qready_ingest::{IngestOptions, read_estate};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    query_xrfkey: Option<String>,
    header_xrfkey: Option<String>,
    header_user: Option<String>,
    client_certificate: Option<Vec<u8>>,
}

struct Pki {
    ca_pem: String,
    server_chain: Vec<CertificateDer<'static>>,
    server_key: PrivateKeyDer<'static>,
    ca_der: CertificateDer<'static>,
    client_pem: String,
    client_der: Vec<u8>,
    client_key_pem: String,
}

fn new_ca(name: &str) -> (CertificateParams, KeyPair, rcgen::Certificate) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let certificate = params.self_signed(&key).unwrap();
    (params, key, certificate)
}

fn pki() -> Pki {
    let (ca_params, ca_key, ca_certificate) = new_ca("qready test CA");
    let issuer = Issuer::new(ca_params, ca_key);

    let server_key = KeyPair::generate().unwrap();
    let server_params =
        CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    let server_certificate = server_params.signed_by(&server_key, &issuer).unwrap();

    let client_key = KeyPair::generate().unwrap();
    let mut client_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    client_params
        .distinguished_name
        .push(DnType::CommonName, "QlikClient");
    let client_certificate = client_params.signed_by(&client_key, &issuer).unwrap();

    Pki {
        ca_pem: ca_certificate.pem(),
        ca_der: ca_certificate.der().clone(),
        server_chain: vec![server_certificate.der().clone()],
        server_key: PrivatePkcs8KeyDer::from(server_key.serialize_der()).into(),
        client_pem: client_certificate.pem(),
        client_der: client_certificate.der().to_vec(),
        client_key_pem: client_key.serialize_pem(),
    }
}

fn recorded_response(endpoint: &str) -> (u16, Vec<u8>) {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/qrs");
    if endpoint == "user/full" {
        return (403, b"Forbidden".to_vec());
    }
    let file = ENDPOINTS
        .iter()
        .find(|(path, _)| *path == endpoint)
        .map(|(_, file)| fixtures.join(file));
    match file.and_then(|file| std::fs::read(file).ok()) {
        Some(body) => (200, body),
        None => (404, b"Not found".to_vec()),
    }
}

/// Starts a server on 127.0.0.1 that serves `connections` TLS connections, one request each,
/// and then stops.
fn start_server(pki: &Pki, connections: usize) -> (u16, Arc<Mutex<Vec<Seen>>>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots.add(pki.ca_der.clone()).unwrap();
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(pki.server_chain.clone(), pki.server_key.clone_key())
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for _ in 0..connections {
            let Ok((socket, _)) = listener.accept() else {
                return;
            };
            socket
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            socket
                .set_write_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let connection = rustls::ServerConnection::new(config.clone()).unwrap();
            let mut stream = rustls::StreamOwned::new(connection, socket);
            if let Some(request) = serve_one(&mut stream) {
                record.lock().unwrap().push(request);
            }
        }
    });
    (port, seen)
}

fn serve_one(
    stream: &mut rustls::StreamOwned<rustls::ServerConnection, std::net::TcpStream>,
) -> Option<Seen> {
    let mut reader = BufReader::new(&mut *stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    drop(reader);
    let target = request_line.split_whitespace().nth(1)?.to_owned();
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let endpoint = path.trim_start_matches("/qrs/");
    let header = |name: &str| {
        headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let seen = Seen {
        path: path.to_owned(),
        query_xrfkey: query
            .split('&')
            .find_map(|pair| pair.strip_prefix("xrfkey=").map(str::to_owned)),
        header_xrfkey: header("x-qlik-xrfkey"),
        header_user: header("x-qlik-user"),
        client_certificate: stream
            .conn
            .peer_certificates()
            .and_then(|chain| chain.first())
            .map(|certificate| certificate.to_vec()),
    };
    let (status, body) = recorded_response(endpoint);
    let reason = if status == 200 { "OK" } else { "Forbidden" };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).ok()?;
    stream.write_all(&body).ok()?;
    stream.flush().ok()?;
    stream.conn.send_close_notify();
    let _ = stream.flush();
    Some(seen)
}

fn write_credentials(dir: &Path, pki: &Pki) -> (PathBuf, PathBuf, PathBuf) {
    let cert = dir.join("client.pem");
    let key = dir.join("client_key.pem");
    let ca = dir.join("root.pem");
    std::fs::write(&cert, &pki.client_pem).unwrap();
    std::fs::write(&key, &pki.client_key_pem).unwrap();
    std::fs::write(&ca, &pki.ca_pem).unwrap();
    (cert, key, ca)
}

fn options(port: u16, dir: &Path, pki: &Pki) -> CollectOptions {
    let (cert, key, ca) = write_credentials(dir, pki);
    let mut options = CollectOptions::new("127.0.0.1", cert, key, dir.join("out"));
    options.port = port;
    options.ca_file = Some(ca);
    options.timeout = Duration::from_secs(20);
    options
}

#[test]
fn collect_pulls_every_endpoint() {
    let pki = pki();
    let (port, seen) = start_server(&pki, ENDPOINTS.len());
    let dir = tempfile::tempdir().unwrap();
    let options = options(port, dir.path(), &pki);

    let summary = collect(&options).unwrap();
    assert_eq!(summary.files.len(), ENDPOINTS.len() - 1);
    assert_eq!(
        summary.failed,
        vec![("user/full".to_owned(), "403 Forbidden".to_owned())]
    );
    let apps = summary
        .files
        .iter()
        .find(|f| f.endpoint == "app/full")
        .unwrap();
    assert_eq!(apps.records, 2);

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), ENDPOINTS.len());
    let key = seen[0].query_xrfkey.clone().unwrap();
    assert_eq!(key.len(), 16);
    for request in &seen {
        assert!(request.path.starts_with("/qrs/"), "{request:?}");
        assert_eq!(request.query_xrfkey.as_deref(), Some(key.as_str()));
        assert_eq!(request.header_xrfkey.as_deref(), Some(key.as_str()));
        assert_eq!(
            request.header_user.as_deref(),
            Some("UserDirectory=INTERNAL; UserId=sa_repository")
        );
        assert_eq!(
            request.client_certificate.as_deref(),
            Some(pki.client_der.as_slice())
        );
    }

    let estate = read_estate(
        std::slice::from_ref(&options.output),
        &IngestOptions::default(),
    );
    assert!(estate.problems.is_empty(), "{:?}", estate.problems);
    assert_eq!(estate.apps.len(), 2);
    assert_eq!(estate.reload_tasks.len(), 2);
    assert_eq!(estate.task_chains.len(), 1);
    assert_eq!(estate.connections.len(), 2);
    assert_eq!(estate.site.as_ref().unwrap().host, "127.0.0.1");
}

#[test]
fn untrusted_server_certificate_fails() {
    let pki = pki();
    let (port, _) = start_server(&pki, 1);
    let dir = tempfile::tempdir().unwrap();
    let mut options = options(port, dir.path(), &pki);
    options.ca_file = None;
    let error = collect(&options).unwrap_err();
    assert!(matches!(error, CollectError::Request { .. }), "{error}");
}

#[test]
fn insecure_flag_skips_server_verification() {
    let pki = pki();
    let (port, seen) = start_server(&pki, ENDPOINTS.len());
    let dir = tempfile::tempdir().unwrap();
    let mut options = options(port, dir.path(), &pki);
    options.ca_file = None;
    options.insecure = true;
    let summary = collect(&options).unwrap();
    assert_eq!(summary.files.len(), ENDPOINTS.len() - 1);
    assert_eq!(seen.lock().unwrap().len(), ENDPOINTS.len());
}

#[test]
fn client_certificate_of_another_ca_is_refused() {
    let pki = pki();
    let (port, seen) = start_server(&pki, 1);
    let dir = tempfile::tempdir().unwrap();
    let options = options(port, dir.path(), &pki);
    // Replace the client certificate with one the server's CA did not sign.
    let (_, other_key, other_certificate) = new_ca("another CA");
    std::fs::write(&options.client_cert, other_certificate.pem()).unwrap();
    std::fs::write(&options.client_key, other_key.serialize_pem()).unwrap();
    let error = collect(&options).unwrap_err();
    assert!(matches!(error, CollectError::Request { .. }), "{error}");
    assert!(seen.lock().unwrap().is_empty());
}

#[test]
fn missing_key_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let pki = pki();
    let mut options = options(9, dir.path(), &pki);
    options.client_key = dir.path().join("missing.pem");
    let error = collect(&options).unwrap_err();
    assert!(error.to_string().contains("client key"), "{error}");
}
