//! Misbehaviours a pack can try, one per value of the `attack` option.

use qready_plugin_sdk::{App, Config, Findings, Pack, PluginError, Rule, Severity};
use serde::Deserialize;

const ATTACK: Rule = Rule {
    code: "HOST001",
    name: "attack",
    title: "Reports what the attack observed",
    severity: Severity::Info,
    ..Rule::DEFAULT
};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    attack: String,
}

#[derive(Default)]
struct HostilePack {
    attack: String,
}

impl Pack for HostilePack {
    const ID: &'static str = "hostile";
    const VERSION: &'static str = "0.1.0";
    const RULES: &'static [&'static Rule] = &[&ATTACK];

    fn configure(&mut self, config: &Config) -> Result<(), PluginError> {
        config.check_option_rules(Self::RULES, &[&ATTACK])?;
        self.attack = config.options::<Options>(&ATTACK)?.attack;
        Ok(())
    }

    fn check(&self, app: &App, findings: &mut Findings) -> Result<(), PluginError> {
        let attack = self.attack.as_str();
        findings.run(&ATTACK, |hits| {
            match attack {
                "loop" => spin(),
                "memory" => {
                    let mut hoard: Vec<Vec<u8>> = Vec::new();
                    loop {
                        hoard.push(vec![1u8; 16 * 1024 * 1024]);
                    }
                }
                "recursion" => {
                    hits.report(format!("depth {}", recurse(u64::MAX)));
                }
                "panic" => panic!("the hostile pack gave up"),
                "sleep" => std::thread::sleep(std::time::Duration::from_secs(60)),
                "many-findings" => {
                    for i in 0..50_000u32 {
                        hits.report(format!("{i}"));
                    }
                }
                "huge-string" => {
                    // The SDK shortens messages, so the bulk goes into the remediation.
                    hits.report("huge").remediation("x".repeat(32 * 1024 * 1024));
                }
                "files" => {
                    let root = std::fs::read_dir("/").map(|_| "listed").unwrap_or("denied");
                    let passwd = std::fs::read("/etc/passwd").map(|_| "read").unwrap_or("denied");
                    let cwd = std::env::current_dir()
                        .map(|dir| dir.display().to_string())
                        .unwrap_or_default();
                    hits.report(format!("root={root} passwd={passwd} cwd={cwd}"));
                }
                "environment" => {
                    let vars = std::env::vars().count();
                    let args = std::env::args().count();
                    hits.report(format!("vars={vars} args={args}"));
                }
                "echo-script" => {
                    // Everything a pack could leak: the whole text of every file it receives.
                    if let Some(script) = &app.script {
                        for file in &script.files {
                            hits.report(file.text.clone());
                        }
                    }
                }
                "error" => {
                    return Err(PluginError::Failed("refusing politely".to_owned()));
                }
                #[cfg(feature = "sockets")]
                "network" => {
                    let result = std::net::TcpStream::connect("127.0.0.1:9");
                    hits.report(format!("connected={}", result.is_ok()));
                }
                _ => {
                    hits.report("calm");
                }
            }
            Ok(())
        })
    }
}

fn spin() -> ! {
    let mut counter = 0u64;
    loop {
        counter = std::hint::black_box(counter.wrapping_add(1));
    }
}

fn recurse(depth: u64) -> u64 {
    let frame = std::hint::black_box([depth; 64]);
    if depth == 0 {
        return frame[0];
    }
    recurse(depth - 1).wrapping_add(frame[1])
}

qready_plugin_sdk::register_pack!(HostilePack);
