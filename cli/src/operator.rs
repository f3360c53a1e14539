//! What an operator installing `roei` needs besides the commands: shell completions
//! (`roei completions SHELL`, clap_complete) and the man page (`roei man`, clap_mangen), both
//! generated from the same clap definition as `--help`, so they never disagree with it; and the exit
//! codes, stated once here and shown at the end of `roei --help` and in the man page.

/// The exit codes (cli/README.md lists the same three).
pub const EXIT_CODES: &str = "\
Exit codes / 終了コード:
  0  done (validate: the record is valid; verify: the chain matches)
  1  anything else: a file that cannot be read or written, a closed pipe
  2  invalid input: each problem with its code and JSON path
     (with --json, stderr carries {\"error\": {code, message, path, clause}})";

/// A completion script for `shell`, as text.
pub fn completions(mut cmd: clap::Command, shell: clap_complete::Shell) -> String {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "roei", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The man page `roei(1)` in roff, with the exit codes in a section of their own.
pub fn man(cmd: clap::Command) -> std::io::Result<String> {
    let man = clap_mangen::Man::new(cmd);
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    man.render_subcommands_section(&mut out)?;
    out.extend_from_slice(b".SH \"EXIT STATUS\"\n");
    for line in EXIT_CODES.lines().skip(1) {
        let line = line.trim_start().replace('\\', "\\\\");
        match line.split_once("  ") {
            Some((code, text)) => {
                out.extend_from_slice(format!(".TP\n{code}\n{text}\n").as_bytes())
            }
            None => out.extend_from_slice(format!("{line}\n").as_bytes()),
        }
    }
    man.render_version_section(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
