//! The `larkgen` command.
//!
//! - `larkgen generate` regenerates the committed client crate from `spec/*.yaml`.
//! - `larkgen check` validates specs (exit 1 on errors, 0 on warnings only) and fails,
//!   naming the stale files, when the committed crate differs from what the specs produce.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The generator is allocation-bound: token trees and syntax trees are millions of small
/// objects, made and freed on every core (≈ 9,500 allocations per endpoint). mimalloc's
/// per-thread free lists make that 10–17% faster than glibc malloc (Baike 10.3 → 9.3 ms,
/// 1,000 endpoints 394 → 328 ms; BENCHMARKS.md). Built without transparent huge pages: they
/// touch whole 2 MiB pages, and a small spec's peak RSS would go from 11 to 28 MiB; big specs
/// turn them on (see [`huge_pages_for_big_specs`]). Only this binary: the library, build.rs
/// and the macro use their host's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc reserves its first arena at the first allocation, in Rust's start-up before
/// `main`: 1 GiB by default, whose bitmaps cost about 35 page faults before anything is done
/// (a small spec's run has about 630 in all). 256 MiB holds the largest spec measured
/// (1,000 endpoints: 80 MiB peak), and a bigger one gets more arenas. Baike 5.15 → 4.94 ms.
/// Set from a constructor, which runs before that first allocation.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static SMALLER_ARENA: extern "C" fn() = smaller_arena;

#[cfg(target_os = "linux")]
extern "C" fn smaller_arena() {
    unsafe extern "C" {
        /// mimalloc's `mi_option_set` (the `mimalloc` crate does not export it).
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    /// `mi_option_arena_reserve` in mimalloc v3's `mi_option_t` (include/mimalloc.h); a test
    /// checks that the first arena has the size set here.
    const ARENA_RESERVE: std::ffi::c_int = 23;
    /// In KiB.
    const SIZE_KIB: std::ffi::c_long = 256 * 1024;
    // SAFETY: sets one option value; mimalloc reads it when it reserves its first arena.
    unsafe { mi_option_set(ARENA_RESERVE, SIZE_KIB) };
}

#[derive(Parser)]
#[command(name = "larkgen", version, about = "Generate a typed Lark/Feishu API client from YAML specs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the generated crate's sources (default: generated/src from spec/*.yaml).
    Generate {
        /// Spec files (default: every .yaml file in spec/).
        specs: Vec<PathBuf>,
        /// Directory of the generated crate's sources.
        #[arg(long, default_value = "generated/src")]
        out: PathBuf,
    },
    /// Validate specs and check that the committed generated code is up to date.
    Check {
        /// Spec files (default: every .yaml file in spec/).
        specs: Vec<PathBuf>,
        /// Directory of the generated crate's sources to compare with.
        #[arg(long, default_value = "generated/src")]
        generated: PathBuf,
        /// Only validate the specs.
        #[arg(long)]
        no_drift: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let base = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    match cli.command {
        Command::Generate { specs, out } => {
            let specs = specs_or_default(specs);
            huge_pages_for_big_specs(&specs);
            generate(&specs, &base, &out)
        }
        Command::Check { specs, generated, no_drift } => {
            let specs = specs_or_default(specs);
            huge_pages_for_big_specs(&specs);
            check(&specs, &base, (!no_drift).then_some(generated.as_path()))
        }
    }
}

/// Specs from this size on (≈ 350 endpoints) are generated with transparent huge pages.
const HUGE_PAGES_FROM_BYTES: u64 = 512 * 1024;

/// Huge pages for big specs. The generator touches memory in proportion to the spec (70 MiB
/// at 1,000 endpoints): in 4 KiB pages that is 17,000 page faults, ≈ 15% of its CPU time on
/// a VM; in 2 MiB pages, 800 (1,000 endpoints: 276 → 238 ms, peak RSS 71 → 97 MiB). A
/// small spec would fill few of those big pages (Baike's peak RSS: 11 → 28 MiB), so mimalloc
/// is built without them (`no_thp`: it opts the process out at start and never asks for
/// them) and only big specs opt back in: the process flag, and huge pages requested on the
/// allocator's arenas, the large anonymous mappings mimalloc reserves (256 MiB, see
/// [`SMALLER_ARENA`]) before
/// `main`. Best effort: where the system offers no huge pages, nothing changes.
fn huge_pages_for_big_specs(specs: &[PathBuf]) {
    let total: u64 = specs.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
    if total < HUGE_PAGES_FROM_BYTES {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process.
        unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 0, 0, 0, 0) };
        for (start, len) in allocator_arenas() {
            // SAFETY: MADV_HUGEPAGE only changes how the kernel backs these mappings with
            // pages; their contents and protection stay as they are.
            unsafe { libc::madvise(start as *mut libc::c_void, len, libc::MADV_HUGEPAGE) };
        }
    }
}

/// Anonymous private mappings of 32 MiB or more (nothing else this early is that large:
/// thread stacks are named or small), as `(start, length)`.
#[cfg(target_os = "linux")]
fn allocator_arenas() -> Vec<(usize, usize)> {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap_or_default();
    maps.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // `start-end perms offset dev inode`, and a path for named mappings.
            let [range, perms, _, _, "0"] = fields[..] else {
                return None;
            };
            let (start, end) = range.split_once('-')?;
            let (start, end) = (usize::from_str_radix(start, 16).ok()?, usize::from_str_radix(end, 16).ok()?);
            (perms.starts_with("rw") && end - start >= 32 << 20).then_some((start, end - start))
        })
        .collect()
}

fn specs_or_default(specs: Vec<PathBuf>) -> Vec<PathBuf> {
    if !specs.is_empty() {
        return specs;
    }
    larkgen::spec_files(Path::new("spec"))
}

fn report(diags: &larkgen::Diagnostics) {
    for d in &diags.0 {
        eprintln!("{:?}", miette::Report::new(d.clone()));
    }
}

fn generate(specs: &[PathBuf], base: &Path, out: &Path) -> ExitCode {
    match larkgen::generate(specs, base) {
        Ok((generated, warnings)) => {
            report(&warnings);
            if let Err(e) = generated.write_crate(out) {
                eprintln!("error: cannot write {}: {e}", out.display());
                return ExitCode::FAILURE;
            }
            for (path, _) in &generated.files {
                println!("wrote {}", out.join(path).display());
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            report(&diags);
            eprintln!("error: {} error(s); nothing written", diags.errors().count());
            ExitCode::FAILURE
        }
    }
}

fn check(specs: &[PathBuf], base: &Path, generated_dir: Option<&Path>) -> ExitCode {
    let (generated, warnings) = match larkgen::generate(specs, base) {
        Ok(ok) => ok,
        Err(diags) => {
            report(&diags);
            eprintln!("error: {} error(s) in the spec", diags.errors().count());
            return ExitCode::FAILURE;
        }
    };
    report(&warnings);
    let Some(dir) = generated_dir else {
        println!("specs are valid ({} warning(s))", warnings.0.len());
        return ExitCode::SUCCESS;
    };
    match generated.stale_files(dir) {
        Ok(stale) if stale.is_empty() => {
            println!("specs are valid and {} is up to date", dir.display());
            ExitCode::SUCCESS
        }
        Ok(stale) => {
            eprintln!("error: the generated code is stale; run `cargo run -p larkgen-cli -- generate`. Stale files:");
            for s in stale {
                eprintln!("  {}", s.display());
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// Huge pages for big specs find mimalloc's arena this way: if a mimalloc update changes
    /// how it reserves memory, this says so (generation stays correct, only slower).
    /// The first arena has the size the constructor set (a mimalloc update that renumbered
    /// its options would set another option instead: this says so).
    #[test]
    fn the_first_arena_is_256_mib() {
        let _probe = vec![0u8; 1 << 20];
        let arenas = super::allocator_arenas();
        assert!(arenas.iter().any(|(_, len)| *len == 256 << 20), "{arenas:x?}");
    }

    #[test]
    fn the_allocator_arena_is_found() {
        let probe = vec![0u8; 1 << 20];
        let arenas = super::allocator_arenas();
        let at = probe.as_ptr() as usize;
        assert!(arenas.iter().any(|(start, len)| (*start..start + len).contains(&at)), "{arenas:x?} {at:x}");
    }
}
