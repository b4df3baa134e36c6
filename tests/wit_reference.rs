//! `docs/wit-reference.md` is generated from the `///` comments of `wit/plugin.wit`; this test
//! fails when the two differ. Regenerate with
//! `QREADY_UPDATE_DOCS=1 cargo test -p qready --test wit_reference`.

use std::fmt::Write as _;
use std::path::Path;

use wit_parser::{Docs, Resolve, Type, TypeDefKind, TypeOwner, WorldItem};

#[test]
fn wit_reference_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let rendered = render(&root.join("wit"));
    let path = root.join("docs/wit-reference.md");
    if std::env::var_os("QREADY_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &rendered).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == rendered,
        "docs/wit-reference.md is out of date; run QREADY_UPDATE_DOCS=1 cargo test -p qready \
         --test wit_reference"
    );
}

#[test]
fn every_wit_item_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wit");
    let mut resolve = Resolve::default();
    resolve.push_dir(&root).unwrap();
    let mut missing = Vec::new();
    for (_, ty) in resolve.types.iter() {
        // Types a world or another interface `use`s are documented where their interface
        // defines them.
        let Some(name) = ty
            .name
            .as_ref()
            .filter(|_| matches!(ty.owner, TypeOwner::Interface(_)))
        else {
            continue;
        };
        if is_use(&ty.kind) {
            continue;
        }
        if is_empty(&ty.docs) {
            missing.push(format!("type {name}"));
        }
        match &ty.kind {
            TypeDefKind::Record(record) => {
                for field in &record.fields {
                    if is_empty(&field.docs) {
                        missing.push(format!("field {name}.{}", field.name));
                    }
                }
            }
            TypeDefKind::Variant(variant) => {
                for case in &variant.cases {
                    if is_empty(&case.docs) {
                        missing.push(format!("case {name}.{}", case.name));
                    }
                }
            }
            TypeDefKind::Enum(enumeration) => {
                for case in &enumeration.cases {
                    if is_empty(&case.docs) && !is_self_explaining(name) {
                        missing.push(format!("case {name}.{}", case.name));
                    }
                }
            }
            _ => {}
        }
    }
    for (_, function) in resolve
        .interfaces
        .iter()
        .flat_map(|(_, i)| i.functions.iter())
    {
        if is_empty(&function.docs) {
            missing.push(format!("function {}", function.name));
        }
    }
    assert!(missing.is_empty(), "undocumented WIT items: {missing:?}");
}

/// Whether a type is another interface's type brought in with `use`.
fn is_use(kind: &TypeDefKind) -> bool {
    matches!(kind, TypeDefKind::Type(Type::Id(_)))
}

/// Enums whose case names are the documentation, such as log levels.
fn is_self_explaining(name: &str) -> bool {
    name == "log-level"
}

fn is_empty(docs: &Docs) -> bool {
    docs.contents
        .as_deref()
        .is_none_or(|text| text.trim().is_empty())
}

fn render(dir: &Path) -> String {
    let mut resolve = Resolve::default();
    let (package, _) = resolve.push_dir(dir).unwrap();
    let package = &resolve.packages[package];
    let mut out = String::new();
    let _ = writeln!(out, "# WIT reference: `{}`\n", package.name);
    let _ = writeln!(
        out,
        "Generated from `wit/plugin.wit`; edit the `///` comments there, not this file.\n"
    );
    write_docs(&mut out, &package.docs);

    for (name, world) in &package.worlds {
        let world = &resolve.worlds[*world];
        let _ = writeln!(out, "## World `{name}`\n");
        write_docs(&mut out, &world.docs);
        for (direction, items) in [("Imports", &world.imports), ("Exports", &world.exports)] {
            let _ = writeln!(out, "{direction}:\n");
            for (key, item) in items {
                match item {
                    WorldItem::Function(function) => {
                        let _ = writeln!(
                            out,
                            "- `{}`: {}",
                            signature(&resolve, function),
                            summary(&function.docs)
                        );
                    }
                    WorldItem::Interface { .. } => {
                        let _ = writeln!(out, "- interface `{}`", resolve.name_world_key(key));
                    }
                    WorldItem::Type { .. } => {}
                }
            }
            out.push('\n');
        }
    }

    for (name, interface) in &package.interfaces {
        let interface = &resolve.interfaces[*interface];
        let _ = writeln!(out, "## Interface `{name}`\n");
        write_docs(&mut out, &interface.docs);
        for (type_name, id) in &interface.types {
            write_type(&mut out, &resolve, type_name, *id);
        }
        for function in interface.functions.values() {
            let _ = writeln!(out, "### `{}`\n", signature(&resolve, function));
            write_docs(&mut out, &function.docs);
        }
    }
    out
}

fn write_type(out: &mut String, resolve: &Resolve, name: &str, id: wit_parser::TypeId) {
    let ty = &resolve.types[id];
    if !matches!(ty.owner, TypeOwner::Interface(_)) || is_use(&ty.kind) {
        return;
    }
    let kind = match &ty.kind {
        TypeDefKind::Record(_) => "record",
        TypeDefKind::Enum(_) => "enum",
        TypeDefKind::Flags(_) => "flags",
        TypeDefKind::Variant(_) => "variant",
        _ => "type",
    };
    let _ = writeln!(out, "### {kind} `{name}`\n");
    write_docs(out, &ty.docs);
    let rows: Vec<(String, &Docs)> = match &ty.kind {
        TypeDefKind::Record(record) => record
            .fields
            .iter()
            .map(|f| {
                (
                    format!("`{}: {}`", f.name, type_name(resolve, &f.ty)),
                    &f.docs,
                )
            })
            .collect(),
        TypeDefKind::Enum(enumeration) => enumeration
            .cases
            .iter()
            .map(|c| (format!("`{}`", c.name), &c.docs))
            .collect(),
        TypeDefKind::Flags(flags) => flags
            .flags
            .iter()
            .map(|f| (format!("`{}`", f.name), &f.docs))
            .collect(),
        TypeDefKind::Variant(variant) => variant
            .cases
            .iter()
            .map(|c| {
                let payload =
                    c.ty.as_ref()
                        .map(|t| format!("({})", type_name(resolve, t)));
                (
                    format!("`{}{}`", c.name, payload.unwrap_or_default()),
                    &c.docs,
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    if !rows.is_empty() {
        let _ = writeln!(out, "| item | meaning |\n|---|---|");
        for (item, docs) in rows {
            let _ = writeln!(out, "| {item} | {} |", summary(docs).replace('|', "\\|"));
        }
        out.push('\n');
    }
}

fn signature(resolve: &Resolve, function: &wit_parser::Function) -> String {
    let params: Vec<String> = function
        .params
        .iter()
        .map(|p| format!("{}: {}", p.name, type_name(resolve, &p.ty)))
        .collect();
    let result = function
        .result
        .as_ref()
        .map(|t| format!(" -> {}", type_name(resolve, t)))
        .unwrap_or_default();
    format!("{}({}){result}", function.name, params.join(", "))
}

fn type_name(resolve: &Resolve, ty: &Type) -> String {
    match ty {
        Type::Bool => "bool".into(),
        Type::U8 => "u8".into(),
        Type::U16 => "u16".into(),
        Type::U32 => "u32".into(),
        Type::U64 => "u64".into(),
        Type::S8 => "s8".into(),
        Type::S16 => "s16".into(),
        Type::S32 => "s32".into(),
        Type::S64 => "s64".into(),
        Type::F32 => "f32".into(),
        Type::F64 => "f64".into(),
        Type::Char => "char".into(),
        Type::String => "string".into(),
        Type::ErrorContext => "error-context".into(),
        Type::Id(id) => {
            let def = &resolve.types[*id];
            if let Some(name) = &def.name {
                return name.clone();
            }
            match &def.kind {
                TypeDefKind::List(inner) => format!("list<{}>", type_name(resolve, inner)),
                TypeDefKind::Option(inner) => format!("option<{}>", type_name(resolve, inner)),
                TypeDefKind::Result(result) => {
                    let ok = result
                        .ok
                        .as_ref()
                        .map_or("_".into(), |t| type_name(resolve, t));
                    let err = result
                        .err
                        .as_ref()
                        .map_or("_".into(), |t| type_name(resolve, t));
                    format!("result<{ok}, {err}>")
                }
                TypeDefKind::Type(inner) => type_name(resolve, inner),
                _ => "type".into(),
            }
        }
    }
}

/// The doc comment as one Markdown paragraph line.
fn summary(docs: &Docs) -> String {
    docs.contents
        .as_deref()
        .unwrap_or("")
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(" ")
}

fn write_docs(out: &mut String, docs: &Docs) {
    if let Some(text) = &docs.contents {
        let _ = writeln!(out, "{}\n", text.trim());
    }
}
