//! Keeps `schema/estate.schema.json` equal to the schema generated from the model types.

use std::path::PathBuf;

fn schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema/estate.schema.json")
}

#[test]
fn schema_file_matches_types() {
    let generated =
        serde_json::to_string_pretty(&qready_model::Estate::json_schema()).unwrap() + "\n";
    let path = schema_path();
    if std::env::var_os("QREADY_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        stored == generated,
        "{} differs from the model types; regenerate it with \
         `QREADY_UPDATE_SCHEMA=1 cargo test -p qready-model --test schema`",
        path.display()
    );
}
