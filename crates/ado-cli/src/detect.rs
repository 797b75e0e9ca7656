//! The organization and project of the git repository in the current directory, read from its
//! remotes' URLs when they point at Azure DevOps (as `az devops --detect` does).

use std::path::Path;
use std::process::Command;

/// An organization URL and a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    /// `https://dev.azure.com/{org}` (or `https://{org}.visualstudio.com`).
    pub organization: String,
    /// The project's name.
    pub project: String,
}

/// The first Azure DevOps remote of the repository at `dir`, if git is there and one is.
pub fn in_repository(dir: &Path) -> Option<Detected> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["config", "--get-regexp", r"^remote\..*\.url$"])
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split_once(' ').map(|(_, url)| url.trim()))
        .find_map(from_remote)
}

/// Organization and project of a remote URL: HTTPS on `dev.azure.com` or `*.visualstudio.com`,
/// or SSH on `ssh.dev.azure.com` or `vs-ssh.visualstudio.com`.
pub fn from_remote(url: &str) -> Option<Detected> {
    if let Some(path) = url
        .strip_prefix("git@ssh.dev.azure.com:v3/")
        .or_else(|| url.strip_prefix("ssh://git@ssh.dev.azure.com/v3/"))
    {
        let mut parts = path.split('/');
        let (org, project) = (parts.next()?, parts.next()?);
        return detected(format!("https://dev.azure.com/{org}"), project);
    }
    if let Some((_, path)) = url.split_once("@vs-ssh.visualstudio.com:v3/") {
        let mut parts = path.split('/');
        let (org, project) = (parts.next()?, parts.next()?);
        return detected(format!("https://{org}.visualstudio.com"), project);
    }
    let rest = url.strip_prefix("https://")?;
    let (authority, path) = rest.split_once('/')?;
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
        .to_ascii_lowercase();
    let segments: Vec<&str> = path.split('/').collect();
    let git = segments.iter().position(|s| *s == "_git")?;
    if host == "dev.azure.com" {
        // {org}/{project}/_git/{repo}
        if git != 2 {
            return None;
        }
        return detected(format!("https://dev.azure.com/{}", segments[0]), segments[1]);
    }
    let org = host.strip_suffix(".visualstudio.com")?;
    // {project}/_git/{repo}, or DefaultCollection/{project}/_git/{repo}
    let project = match git {
        1 => segments[0],
        2 if segments[0].eq_ignore_ascii_case("DefaultCollection") => segments[1],
        _ => return None,
    };
    detected(format!("https://{org}.visualstudio.com"), project)
}

fn detected(organization: String, project: &str) -> Option<Detected> {
    // `%20`-style escapes decoded (project names with spaces); malformed UTF-8 is no project.
    let project = percent_encoding::percent_decode_str(project).decode_utf8().ok()?;
    (!project.is_empty() && !organization.ends_with('/')).then(|| Detected {
        organization,
        project: project.into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(org: &str, project: &str) -> Option<Detected> {
        Some(Detected {
            organization: org.into(),
            project: project.into(),
        })
    }

    #[test]
    fn https_remotes_on_dev_azure_com_name_organization_and_project() {
        assert_eq!(
            from_remote("https://dev.azure.com/fabrikam/Fabrikam%20Fiber/_git/web"),
            found("https://dev.azure.com/fabrikam", "Fabrikam Fiber")
        );
        assert_eq!(
            from_remote("https://fabrikam@dev.azure.com/fabrikam/fiber/_git/web"),
            found("https://dev.azure.com/fabrikam", "fiber")
        );
    }

    #[test]
    fn legacy_visualstudio_com_remotes_are_read_too() {
        assert_eq!(
            from_remote("https://fabrikam.visualstudio.com/fiber/_git/web"),
            found("https://fabrikam.visualstudio.com", "fiber")
        );
        assert_eq!(
            from_remote("https://fabrikam.visualstudio.com/DefaultCollection/fiber/_git/web"),
            found("https://fabrikam.visualstudio.com", "fiber")
        );
    }

    #[test]
    fn ssh_remotes_are_read() {
        assert_eq!(
            from_remote("git@ssh.dev.azure.com:v3/fabrikam/fiber/web"),
            found("https://dev.azure.com/fabrikam", "fiber")
        );
        assert_eq!(
            from_remote("fabrikam@vs-ssh.visualstudio.com:v3/fabrikam/fiber/web"),
            found("https://fabrikam.visualstudio.com", "fiber")
        );
    }

    #[test]
    fn other_remotes_are_not_azure_devops() {
        for url in [
            "https://github.com/fabrikam/web.git",
            "git@github.com:fabrikam/web.git",
            "https://dev.azure.com/fabrikam/_git/web",
            "https://evil.example/dev.azure.com/fabrikam/fiber/_git/web",
            "https://fabrikam.visualstudio.com.evil.example/fiber/_git/web",
        ] {
            assert_eq!(from_remote(url), None, "{url}");
        }
    }
}
