//! Builds the first-party packs for `wasm32-wasip2` and embeds them in the `qready` binary, so a
//! plain `cargo build` is all a user runs.
//!
//! The packs are built by a nested cargo in a target directory of their own: sharing the outer
//! build's directory would deadlock on its lock.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// First-party components: the crate folder under `plugins/`, the library name cargo gives the
/// `.wasm` file, and the world it implements (`rule-pack` or `connector`).
const PACKS: &[(&str, &str, &str)] = &[
    ("core", "qready_pack_core", "rule-pack"),
    ("security", "qready_pack_security", "rule-pack"),
    ("app", "qready_pack_app", "rule-pack"),
    ("governance", "qready_pack_governance", "rule-pack"),
    ("sizing", "qready_pack_sizing", "rule-pack"),
    (
        "connector-databases",
        "qready_connector_databases",
        "connector",
    ),
    ("connector-files", "qready_connector_files", "connector"),
    ("connector-web", "qready_connector_web", "connector"),
    (
        "connector-enterprise",
        "qready_connector_enterprise",
        "connector",
    ),
];

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let workspace = manifest_dir
        .parent()
        .expect("host/ sits in the workspace root");
    for watched in ["plugins", "plugin-sdk", "wit", "Cargo.lock"] {
        println!(
            "cargo:rerun-if-changed={}",
            workspace.join(watched).display()
        );
    }
    println!("cargo:rerun-if-env-changed=QREADY_PACKS_TARGET_DIR");

    let target_dir = env::var_os("QREADY_PACKS_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace.join("target").join("packs"));
    ensure_wasm_target();
    // One cargo run per world: a crate's component describes one world, and building packs of
    // both worlds together would unify the SDK's world features across them.
    for world in ["rule-pack", "connector"] {
        let members: Vec<&str> = PACKS
            .iter()
            .filter(|(_, _, w)| *w == world)
            .map(|(_, lib_name, _)| *lib_name)
            .collect();
        build_packs(workspace, &target_dir, world, &members);
    }
    let mut table = String::from("&[\n");
    for (folder, lib_name, world) in PACKS {
        let wasm = target_dir
            .join("wasm32-wasip2")
            .join("release")
            .join(format!("{lib_name}.wasm"));
        table.push_str(&format!(
            "    (\"{folder}\", \"{world}\", include_bytes!({:?}) as &[u8]),\n",
            wasm.display().to_string()
        ));
    }
    table.push(']');

    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo")).join("packs.rs");
    std::fs::write(&out, table).expect("failed to write the embedded pack table");
}

/// Builds the packs whose library names are `lib_names` (cargo package names with `_` for `-`).
fn build_packs(workspace: &Path, target_dir: &Path, world: &str, lib_names: &[&str]) {
    let cargo = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .arg("build")
        .arg("--release")
        .arg("--locked")
        .arg("--target")
        .arg("wasm32-wasip2")
        .arg("--manifest-path")
        .arg(workspace.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir);
    for lib_name in lib_names {
        command.arg("--package").arg(lib_name.replace('_', "-"));
    }
    // The outer build's settings describe the host target; none of them apply to the guest.
    for (key, _) in env::vars_os() {
        let key = key.to_string_lossy();
        let inherited = key.starts_with("CARGO_") && key != "CARGO_HOME";
        if inherited
            || matches!(
                key.as_ref(),
                "RUSTFLAGS" | "RUSTC_WRAPPER" | "RUSTC_WORKSPACE_WRAPPER" | "MAKEFLAGS" | "MFLAGS"
            )
        {
            command.env_remove(key.as_ref());
        }
    }
    // Debug info would make the embedded packs ten times larger.
    command
        .env("CARGO_PROFILE_RELEASE_DEBUG", "false")
        .env("CARGO_PROFILE_RELEASE_STRIP", "true");
    let status = command
        .status()
        .unwrap_or_else(|e| panic!("failed to run cargo for the {world} packs: {e}"));
    assert!(
        status.success(),
        "building the {world} packs for wasm32-wasip2 failed; is the target installed? \
         (`rustup target add wasm32-wasip2`)"
    );
}

/// Installs the `wasm32-wasip2` standard library through rustup when the toolchain lacks it.
///
/// rustup installs the targets listed in `rust-toolchain.toml` only when it installs the
/// toolchain itself, so a machine that already had 1.95.0 has no `wasm32-wasip2` yet.
fn ensure_wasm_target() {
    let rustc = env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let sysroot = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    let installed = sysroot
        .as_ref()
        .is_some_and(|root| root.join("lib/rustlib/wasm32-wasip2").is_dir());
    if installed {
        return;
    }
    let mut rustup = Command::new("rustup");
    rustup.args(["target", "add", "wasm32-wasip2"]);
    if let Some(toolchain) = env::var_os("RUSTUP_TOOLCHAIN") {
        rustup.arg("--toolchain").arg(toolchain);
    }
    match rustup.status() {
        Ok(status) if status.success() => {}
        Ok(status) => {
            println!("cargo:warning=`rustup target add wasm32-wasip2` exited with {status}")
        }
        Err(error) => println!("cargo:warning=failed to run rustup to add wasm32-wasip2: {error}"),
    }
}
