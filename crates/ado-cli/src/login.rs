//! `ado login` / `ado logout`: a PAT per organization in the operating system's key store, never
//! in a file. On Linux that is the kernel's user keyring (held in memory for the user's
//! processes, gone at a restart); other systems are not supported yet and say so.

use std::io::BufRead;

use ado_core::{Credentials, Error, Result};

/// The key's description: one per organization URL, as the service resolves it.
fn description(organization: &str) -> Result<String> {
    Ok(format!("ado-cli:{}", crate::context::organization_key(organization)?))
}

#[cfg(target_os = "linux")]
mod store {
    use ado_core::{Error, Result};
    use linux_keyutils::{KeyError, KeyRing, KeyRingIdentifier};

    fn keyring() -> Result<KeyRing> {
        KeyRing::from_special_id(KeyRingIdentifier::User, true).map_err(unavailable)
    }

    fn unavailable(error: KeyError) -> Error {
        Error::credentials(format!("the kernel key store cannot be used: {error:?}"))
    }

    pub fn set(description: &str, secret: &str) -> Result<()> {
        keyring()?.add_key(description, secret).map(|_| ()).map_err(unavailable)
    }

    pub fn get(description: &str) -> Option<String> {
        let key = keyring().ok()?.search(description).ok()?;
        String::from_utf8(key.read_to_vec().ok()?).ok()
    }

    pub fn delete(description: &str) -> Result<bool> {
        match keyring()?.search(description) {
            Ok(key) => key.invalidate().map(|()| true).map_err(unavailable),
            Err(KeyError::KeyDoesNotExist) => Ok(false),
            Err(e) => Err(unavailable(e)),
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod store {
    use ado_core::{Error, Result};

    fn unsupported() -> Error {
        Error::credentials(
            "ado login keeps a PAT only in the Linux kernel's key store for now; set AZURE_DEVOPS_EXT_PAT or use --pat-stdin",
        )
    }

    pub fn set(_: &str, _: &str) -> Result<()> {
        Err(unsupported())
    }

    pub fn get(_: &str) -> Option<String> {
        None
    }

    pub fn delete(_: &str) -> Result<bool> {
        Err(unsupported())
    }
}

/// Read a PAT from the first line of standard input.
pub fn pat_from_stdin() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| Error::credentials(format!("could not read a PAT from standard input: {e}")))?;
    let pat = line.trim();
    if pat.is_empty() {
        return Err(Error::credentials("standard input held no token"));
    }
    Ok(pat.to_string())
}

/// Keep `pat` for `organization`.
pub fn login(organization: &str, pat: &str) -> Result<()> {
    store::set(&description(organization)?, pat)
}

/// Forget the PAT kept for `organization`; whether there was one.
pub fn logout(organization: &str) -> Result<bool> {
    store::delete(&description(organization)?)
}

/// The PAT kept for `organization`, if there is one and a key store to hold it.
pub fn kept(organization: &str) -> Option<Credentials> {
    store::get(&description(organization).ok()?).map(Credentials::pat)
}
