//! On-disk cache of compiled packs.
//!
//! An entry is keyed by the SHA-256 of the pack's bytes and the engine's precompile
//! compatibility hash, which changes with the wasmtime version and every setting that affects
//! compiled code. A stale or damaged entry fails to deserialize and is compiled again.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use wasmtime::Engine;
use wasmtime::component::Component;

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
    ///
    /// Each entry starts with the SHA-256 of the pack it was compiled from, checked before the
    /// compiled code is used, so an entry copied or renamed over another never runs in its place.
    pub fn load_or_compile(&self, engine: &Engine, wasm: &[u8]) -> wasmtime::Result<Component> {
        let entry = self.entry_path(wasm);
        let digest: [u8; 32] = Sha256::digest(wasm).into();
        if let Some(component) = self.load(engine, &entry, &digest) {
            return Ok(component);
        }
        let compiled = engine.precompile_component(wasm)?;
        if let Err(error) = self.store(&entry, &digest, &compiled) {
            tracing::warn!(dir = %self.dir.display(), %error, "failed to write the compile cache");
        }
        // SAFETY: `compiled` was produced by `precompile_component` on this engine just above.
        unsafe { Component::deserialize(engine, &compiled) }
    }

    fn load(&self, engine: &Engine, entry: &Path, digest: &[u8; 32]) -> Option<Component> {
        let bytes = std::fs::read(entry).ok()?;
        let Some(compiled) = bytes.strip_prefix(digest.as_slice()) else {
            tracing::debug!(entry = %entry.display(), "compile cache entry is for another pack");
            return None;
        };
        // SAFETY: the entry starts with the digest of the pack being loaded, and the cache folder
        // holds only files that `store` wrote from `Engine::precompile_component`. wasmtime
        // rejects code built by another version or configuration with an error.
        match unsafe { Component::deserialize(engine, compiled) } {
            Ok(component) => {
                tracing::debug!(entry = %entry.display(), "compile cache hit");
                Some(component)
            }
            Err(error) => {
                tracing::debug!(entry = %entry.display(), %error, "compile cache entry unusable");
                None
            }
        }
    }

    fn store(&self, entry: &Path, digest: &[u8; 32], compiled: &[u8]) -> std::io::Result<()> {
        create_private_dir(&self.dir)?;
        // Write to a private name, then rename, so a concurrent run never reads half a file.
        let partial = entry.with_extension(format!("{}.partial", std::process::id()));
        let mut bytes = Vec::with_capacity(digest.len() + compiled.len());
        bytes.extend_from_slice(digest);
        bytes.extend_from_slice(compiled);
        std::fs::write(&partial, bytes)?;
        std::fs::rename(&partial, entry)
    }
}

/// Creates the cache folder readable and writable by its owner only, because its files are
/// native code that qready runs.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder.create(dir)
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
