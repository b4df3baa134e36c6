use qready_plugin_sdk::assert_findings;
use qready_plugin_sdk::testing::{app_from_script, check};

use super::SecurityPack;

const INLINE: &str = "SECTION ACCESS;
LOAD * INLINE [
ACCESS, NTNAME, USERID, GROUP, REGION
ADMIN, INTERNAL\\SA_SCHEDULER, , , *
USER, CORP\\JDOE, CORP\\JDOE, , EMEA
USER, , ANNA@EXAMPLE.COM, FINANCE, APAC
];
SECTION APPLICATION;
LOAD * INLINE [
NTNAME, x
a, 1
];
";

#[test]
fn inline_section_access_checked() {
    let app = app_from_script(INLINE);
    let findings = check::<SecurityPack>(&app);
    assert_findings!(
        findings,
        [("QC201", 3), ("QC202", 4), ("QC203", 5), ("QC204", 3)]
    );
    let windows = findings.iter().find(|f| f.code == "QC201").unwrap();
    assert_eq!(windows.location.as_ref().unwrap().column, 9);
}

#[test]
fn loaded_table_checked_by_field_names() {
    let app = app_from_script(
        "SECTION ACCESS;\nLOAD ACCESS, Upper(NTNAME) AS NTNAME, PASSWORD\nFROM [lib://SA/users.xlsx] (ooxml);\nSECTION APPLICATION;\n",
    );
    assert_findings!(check::<SecurityPack>(&app), [("QC201", 2), ("QC201", 2)]);
}

#[test]
fn cloud_ready_section_access_passes() {
    let app = app_from_script(
        "SECTION ACCESS;\nLOAD * INLINE [\nACCESS, USER.EMAIL, REGION\nUSER, ANNA@EXAMPLE.COM, EMEA\n];\nSECTION APPLICATION;\n",
    );
    assert_findings!(check::<SecurityPack>(&app), []);
}

#[test]
fn delimiter_option_respected() {
    let app = app_from_script(
        "SECTION ACCESS;\nLOAD * INLINE [\nACCESS;SERIAL\nUSER;4711\n] (delimiter is ';');\nSECTION APPLICATION;\n",
    );
    assert_findings!(check::<SecurityPack>(&app), [("QC201", 3)]);
}
