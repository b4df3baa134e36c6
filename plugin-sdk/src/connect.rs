//! Reading data connection strings: `key=value;` properties, ODBC data source names and URLs.

/// Returns the value of `key` in a `key=value;` connection string, ignoring the case of the key.
///
/// Works on the strings inside `CUSTOM CONNECT TO "provider=...;host=...;"`, OLE DB strings
/// (`Provider=SQLOLEDB;Data Source=...`) and ODBC strings (`DSN;DBQ=...`). Quotes around the
/// whole string and a leading `... CONNECT[32|64] TO` are skipped.
pub fn connect_property<'a>(connect_string: &'a str, key: &str) -> Option<&'a str> {
    connect_body(connect_string)
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(key))
        .map(|(_, value)| value.trim())
}

/// Returns the data source name of an `ODBC CONNECT TO [DSN;...]` string: the first part that is
/// not `key=value`.
pub fn odbc_dsn(connect_string: &str) -> Option<&str> {
    connect_body(connect_string)
        .split(';')
        .map(str::trim)
        .find(|part| !part.is_empty() && !part.contains('='))
}

/// Strips `ODBC CONNECT TO`, `CUSTOM CONNECT32 TO` and the like, and the quotes or brackets
/// around what follows.
fn connect_body(text: &str) -> &str {
    let mut rest = text.trim();
    let upper = rest.to_ascii_uppercase();
    if let Some(at) = upper.find(" TO ").filter(|_| upper.contains("CONNECT")) {
        rest = rest[at + 4..].trim();
    }
    let rest = rest.trim_end_matches(';').trim();
    for (open, close) in [('"', '"'), ('[', ']'), ('\'', '\'')] {
        if let Some(inner) = rest.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            return inner;
        }
    }
    rest
}

/// Returns the URL a connection string points at: the string itself for a web-file
/// connection, or its `url=` property for a REST connection.
pub fn connect_url(connect_string: &str) -> Option<String> {
    let body = connect_body(connect_string);
    let lower = body.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("ftp://")
    {
        return Some(body.to_owned());
    }
    connect_property(connect_string, "url").map(str::to_owned)
}

/// Network location of a host name or address, as far as its text shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The reload server itself: `localhost`, `127.0.0.1`, `::1`.
    Local,
    /// A private network: private or documentation address ranges, names without a dot, and
    /// names under `.local`, `.lan`, `.corp`, `.internal`, `.intranet` or `.intra`.
    Private,
    /// A name under a public cloud provider's domain, reachable from Qlik Cloud when the
    /// service's firewall allows it.
    Cloud,
    /// Any other name: it may or may not be reachable from the internet.
    Unknown,
}

/// Cloud provider domains whose hosts Qlik Cloud can reach over the internet.
const CLOUD_DOMAINS: &[&str] = &[
    ".amazonaws.com",
    ".database.windows.net",
    ".windows.net",
    ".azuredatabricks.net",
    ".cloud.databricks.com",
    ".snowflakecomputing.com",
    ".googleapis.com",
    ".salesforce.com",
    ".force.com",
];

/// Classifies a host name or IP address by its text alone; nothing is looked up.
pub fn reach(host: &str) -> Reach {
    let host = host
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_ascii_lowercase();
    if host == "localhost" || host == "::1" || host.starts_with("127.") {
        return Reach::Local;
    }
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        let [a, b, c, _] = ip.octets();
        let documentation = matches!((a, b, c), (192, 0, 2) | (198, 51, 100) | (203, 0, 113));
        return if ip.is_private() || ip.is_link_local() || documentation {
            Reach::Private
        } else {
            Reach::Unknown
        };
    }
    if CLOUD_DOMAINS.iter().any(|domain| host.ends_with(domain)) {
        return Reach::Cloud;
    }
    let private_suffix = [
        ".local",
        ".lan",
        ".corp",
        ".internal",
        ".intranet",
        ".intra",
    ]
    .iter()
    .any(|suffix| host.ends_with(suffix));
    if !host.contains('.') || private_suffix {
        Reach::Private
    } else {
        Reach::Unknown
    }
}

/// Returns the host of a URL (`scheme://user@host:port/path`), in lower case.
pub fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = if authority.starts_with('[') {
        authority.split_inclusive(']').next()?
    } else {
        authority.split(':').next()?
    };
    Some(host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_connect_properties_read() {
        let text = r#"CUSTOM CONNECT TO "provider=QvOdbcConnectorPackage.exe;driver=postgres;host=db.example.com;port=5432;""#;
        assert_eq!(connect_property(text, "driver"), Some("postgres"));
        assert_eq!(connect_property(text, "HOST"), Some("db.example.com"));
        assert_eq!(connect_property(text, "user"), None);
    }

    #[test]
    fn odbc_dsn_and_dbq_read() {
        let text = r"ODBC CONNECT32 TO [Sales;DBQ=C:\Data\Sales.xlsx;]";
        assert_eq!(odbc_dsn(text), Some("Sales"));
        assert_eq!(connect_property(text, "dbq"), Some(r"C:\Data\Sales.xlsx"));
    }

    #[test]
    fn oledb_provider_read() {
        let text = "OLEDB CONNECT TO [Provider=SQLOLEDB;Data Source=db01,1433;Initial Catalog=dw;]";
        assert_eq!(connect_property(text, "provider"), Some("SQLOLEDB"));
        assert_eq!(connect_property(text, "data source"), Some("db01,1433"));
    }

    #[test]
    fn urls_read_from_web_and_rest_strings() {
        assert_eq!(
            connect_url("http://localhost:5555/data?x=1").as_deref(),
            Some("http://localhost:5555/data?x=1")
        );
        let rest = r#"CUSTOM CONNECT TO "provider=QvRestConnector.exe;url=https://api.example.com/v1;timeout=30;""#;
        assert_eq!(
            connect_url(rest).as_deref(),
            Some("https://api.example.com/v1")
        );
        assert_eq!(connect_url(r"\\srv\share"), None);
    }

    #[test]
    fn reach_of_hosts() {
        assert_eq!(reach("localhost"), Reach::Local);
        assert_eq!(reach("10.1.2.3"), Reach::Private);
        assert_eq!(reach("192.0.2.1"), Reach::Private);
        assert_eq!(reach("DWH01"), Reach::Private);
        assert_eq!(reach("db.corp"), Reach::Private);
        assert_eq!(reach("x.eu-west-1.rds.amazonaws.com"), Reach::Cloud);
        assert_eq!(reach("data.example.org"), Reach::Unknown);
    }

    #[test]
    fn url_hosts() {
        assert_eq!(
            url_host("http://localhost:5555/data").as_deref(),
            Some("localhost")
        );
        assert_eq!(
            url_host("https://u@API.example.com/v1").as_deref(),
            Some("api.example.com")
        );
        assert_eq!(url_host("http://[::1]:80/").as_deref(), Some("[::1]"));
    }
}
