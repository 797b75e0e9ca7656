//! `ado login` / `ado logout`: a PAT per organization in the operating system's key store, never
//! in a file. On Linux that is the kernel's user keyring (held in memory for the user's processes,
//! gone at a restart); on macOS the login keychain and on Windows the Credential Manager, through
//! `keyring-core` and each system's store crate.

use std::io::BufRead;

use ado_core::{Credentials, Error, Result};

/// The key's description: one per organization URL, as the service resolves it.
fn description(organization: &str) -> Result<String> {
    Ok(format!("ado-cli:{}", crate::context::organization_key(organization)?))
}

// keyring-core's Linux store also links each key into the persistent keyring, which containers
// often refuse; the user keyring alone is what a command line needs.
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
    use std::sync::Arc;

    use ado_core::Result;
    use keyring_core::CredentialStore;

    fn system() -> Result<Arc<CredentialStore>> {
        #[cfg(target_os = "macos")]
        let store = apple_native_keyring_store::keychain::Store::new();
        #[cfg(target_os = "windows")]
        let store = windows_native_keyring_store::Store::new();
        #[cfg(not(any(target_os = "macos", target_os = "windows")))]
        let store: keyring_core::Result<Arc<CredentialStore>> = Err(keyring_core::Error::NoDefaultStore);
        store
            .map(|s| s as Arc<CredentialStore>)
            .map_err(super::portable::unavailable)
    }

    pub fn set(description: &str, secret: &str) -> Result<()> {
        super::portable::set(&*system()?, description, secret)
    }

    pub fn get(description: &str) -> Option<String> {
        super::portable::get(&*system().ok()?, description)
    }

    pub fn delete(description: &str) -> Result<bool> {
        super::portable::delete(&*system()?, description)
    }
}

/// A PAT kept through `keyring-core`'s entries: the store on macOS and Windows, and tested on
/// every system with its mock store.
#[cfg_attr(target_os = "linux", allow(dead_code))]
mod portable {
    use ado_core::{Error, Result};
    use keyring_core::{CredentialStore, Entry};

    /// The service name the PATs are kept under; the key's description is the user name.
    const SERVICE: &str = "ado-cli";

    pub fn unavailable(error: keyring_core::Error) -> Error {
        Error::credentials(format!("the system's key store cannot be used: {error}"))
    }

    fn entry(store: &CredentialStore, description: &str) -> Result<Entry> {
        store.build(SERVICE, description, None).map_err(unavailable)
    }

    pub fn set(store: &CredentialStore, description: &str, secret: &str) -> Result<()> {
        entry(store, description)?.set_password(secret).map_err(unavailable)
    }

    pub fn get(store: &CredentialStore, description: &str) -> Option<String> {
        entry(store, description).ok()?.get_password().ok()
    }

    pub fn delete(store: &CredentialStore, description: &str) -> Result<bool> {
        match entry(store, description)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            Err(e) => Err(unavailable(e)),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_kept_pat_is_read_back_until_it_is_deleted() {
            let store = keyring_core::mock::Store::new().unwrap();
            set(&*store, "ado-cli:https://dev.azure.com/fabrikam", "pat-1").unwrap();
            assert_eq!(
                get(&*store, "ado-cli:https://dev.azure.com/fabrikam").as_deref(),
                Some("pat-1")
            );
            assert_eq!(get(&*store, "ado-cli:https://dev.azure.com/contoso"), None);
            assert!(delete(&*store, "ado-cli:https://dev.azure.com/fabrikam").unwrap());
            assert_eq!(get(&*store, "ado-cli:https://dev.azure.com/fabrikam"), None);
            assert!(!delete(&*store, "ado-cli:https://dev.azure.com/fabrikam").unwrap());
        }
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
