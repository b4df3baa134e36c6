//! On-disk cache of compiled packs.
//!
//! An entry is keyed by the SHA-256 of the pack's bytes and the engine's precompile
//! compatibility hash, which changes with the wasmtime version and every setting that affects
//! compiled code. A stale or damaged entry fails to deserialize and is compiled again.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::component::Component;
use wasmtime::Engine;

/// Directory of `.cwasm` files that this process wrote.
#[derive(Debug, Clone)]
pub struct CompileCache {
    dir: PathBuf,
    engine_hash: u64,
}

impl CompileCache {
    /// Uses `dir` for compiled packs; it is created on first write.
    pub fn new(dir: &Path, engine: &Engine) -> Self {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        CompileCache {
            dir: dir.to_owned(),
            engine_hash: hasher.finish(),
        }
    }

    /// Path of the entry for a pack's bytes.
    pub fn entry_path(&self, wasm: &[u8]) -> PathBuf {
        let digest = Sha256::digest(wasm);
        let mut name = String::with_capacity(96);
        for byte in digest {
            name.push_str(&format!("{byte:02x}"));
        }
        name.push_str(&format!("-{:016x}.cwasm", self.engine_hash));
        self.dir.join(name)
    }

    /// Loads the compiled pack from the cache, or compiles it and stores the result.
    pub fn load_or_compile(&self, engine: &Engine, wasm: &[u8]) -> wasmtime::Result<Component> {
        let entry = self.entry_path(wasm);
        if entry.is_file() {
            // SAFETY: the cache directory holds only files that `store` below wrote from
            // `Engine::precompile_component`; wasmtime rejects files built by another version or
            // configuration with an error rather than undefined behaviour.
            match unsafe { Component::deserialize_file(engine, &entry) } {
                Ok(component) => {
                    tracing::debug!(entry = %entry.display(), "compile cache hit");
                    return Ok(component);
                }
                Err(error) => {
                    tracing::debug!(entry = %entry.display(), %error, "compile cache entry unusable");
                }
            }
        }
        let compiled = engine.precompile_component(wasm)?;
        if let Err(error) = self.store(&entry, &compiled) {
            tracing::warn!(dir = %self.dir.display(), %error, "failed to write the compile cache");
        }
        // SAFETY: `compiled` was produced by `precompile_component` on this engine just above.
        unsafe { Component::deserialize(engine, &compiled) }
    }

    fn store(&self, entry: &Path, compiled: &[u8]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        // Write to a private name, then rename, so a concurrent run never reads half a file.
        let partial = entry.with_extension(format!("{}.partial", std::process::id()));
        std::fs::write(&partial, compiled)?;
        std::fs::rename(&partial, entry)
    }
}

/// Default cache folder: `$QREADY_CACHE_DIR`, else `$XDG_CACHE_HOME/qready`, else
/// `$HOME/.cache/qready`; `None` when none of them is set.
pub fn default_cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("QREADY_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(PathBuf::from(dir).join("qready"));
    }
    std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache").join("qready"))
}
