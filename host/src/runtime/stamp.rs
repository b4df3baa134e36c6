//! The version section that the plugin SDK writes into every pack.

use super::PackError;

/// Version of the `qready:plugin` WIT package this host implements.
pub const WIT_VERSION: &str = "0.1.2";

/// Name of the custom section that contains the stamp.
const SECTION: &str = "qready-sdk";

/// SDK and WIT versions a pack was built with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionStamp {
    pub sdk: semver::Version,
    pub wit: semver::Version,
}

/// Reads the stamp, checks that the bytes are a component, and rejects a WIT version this host
/// cannot serve.
///
/// A component without a stamp (built without the SDK) is accepted, and the linker's type check
/// decides.
pub fn read(name: &str, bytes: &[u8]) -> Result<Option<VersionStamp>, PackError> {
    let not_component = |reason: String| PackError::NotAComponent {
        name: name.to_owned(),
        reason,
    };
    let mut stamp_text = None;
    let mut first = true;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| not_component(format!("invalid WebAssembly: {e}")))?;
        match payload {
            wasmparser::Payload::Version { encoding, .. }
                if first && encoding != wasmparser::Encoding::Component =>
            {
                return Err(not_component(
                    "it is a core module; build the pack for wasm32-wasip2 so that cargo \
                     produces a component"
                        .to_owned(),
                ));
            }
            wasmparser::Payload::CustomSection(section) if section.name() == SECTION => {
                stamp_text = Some(String::from_utf8_lossy(section.data()).into_owned());
            }
            _ => {}
        }
        first = false;
    }
    let Some(text) = stamp_text else {
        return Ok(None);
    };
    let stamp = parse(&text).ok_or_else(|| PackError::Incompatible {
        name: name.to_owned(),
        reason: format!("has an unreadable '{SECTION}' section: {text:?}"),
    })?;
    check_compatible(name, &stamp)?;
    Ok(Some(stamp))
}

fn parse(text: &str) -> Option<VersionStamp> {
    let mut sdk = None;
    let mut wit = None;
    for line in text.lines() {
        match line.split_once('=') {
            Some(("sdk", value)) => sdk = semver::Version::parse(value.trim()).ok(),
            Some(("wit", value)) => wit = semver::Version::parse(value.trim()).ok(),
            _ => {}
        }
    }
    Some(VersionStamp {
        sdk: sdk?,
        wit: wit?,
    })
}

/// Accepts a pack built for a WIT version that semver allows this host to serve: the same major
/// (or, before 1.0, the same minor) and a version no newer than the host's.
fn check_compatible(name: &str, stamp: &VersionStamp) -> Result<(), PackError> {
    let host = semver::Version::parse(WIT_VERSION).expect("WIT_VERSION is valid semver");
    let requirement = semver::VersionReq::parse(&format!("^{}", stamp.wit))
        .expect("a version is a valid requirement");
    if requirement.matches(&host) {
        return Ok(());
    }
    let advice = if stamp.wit > host {
        format!(
            "upgrade qready to a release that supports qready:plugin@{}",
            stamp.wit
        )
    } else {
        format!(
            "rebuild the pack with qready-plugin-sdk {}.{} (qready:plugin@{WIT_VERSION})",
            host.major, host.minor
        )
    };
    Err(PackError::Incompatible {
        name: name.to_owned(),
        reason: format!(
            "was built for qready:plugin@{}, but this qready implements qready:plugin@{WIT_VERSION}; \
             {advice}",
            stamp.wit
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(wit: &str) -> VersionStamp {
        VersionStamp {
            sdk: semver::Version::new(0, 1, 0),
            wit: semver::Version::parse(wit).unwrap(),
        }
    }

    #[test]
    fn same_minor_is_compatible() {
        assert!(check_compatible("p", &stamp("0.1.0")).is_ok());
    }

    #[test]
    fn newer_minor_asks_to_upgrade_host() {
        let error = check_compatible("p", &stamp("0.2.0"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("upgrade qready"), "{error}");
    }

    #[test]
    fn older_minor_asks_to_rebuild_pack() {
        let error = check_compatible("p", &stamp("0.0.3"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("rebuild the pack"), "{error}");
    }

    #[test]
    fn stamp_text_parses() {
        let parsed = parse("sdk=0.1.0\nwit=0.1.0\n").unwrap();
        assert_eq!(parsed, stamp("0.1.0"));
    }

    #[test]
    fn garbage_is_not_a_component() {
        let error = read("junk", b"\x00asm garbage").unwrap_err();
        assert!(matches!(error, PackError::NotAComponent { .. }), "{error}");
    }

    #[test]
    fn core_module_is_rejected() {
        let module = wat::parse_str("(module)").unwrap();
        let error = read("m", &module).unwrap_err().to_string();
        assert!(error.contains("core module"), "{error}");
    }
}
