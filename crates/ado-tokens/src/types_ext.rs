//! The PAT outcome code as an open enum, and the check that turns failures into errors.

use ado_core::__private::CheckAnswer;
use ado_core::{Error, Result};

use crate::generated::types::PatTokenResult;

ado_core::open_enum! {
    /// The outcome of a PAT operation (`SessionTokenError`); `none` means success.
    pub enum PatTokenError {
        /// Success.
        None = "none",
        /// A display name is required.
        DisplayNameRequired = "displayNameRequired",
        /// The display name is not valid.
        InvalidDisplayName = "invalidDisplayName",
        /// The expiry is not valid.
        InvalidValidTo = "invalidValidTo",
        /// The scope is not valid.
        InvalidScope = "invalidScope",
        /// A user id is required.
        UserIdRequired = "userIdRequired",
        /// The user id is not valid.
        InvalidUserId = "invalidUserId",
        /// The user type is not valid.
        InvalidUserType = "invalidUserType",
        /// Access denied.
        AccessDenied = "accessDenied",
        /// The token could not be issued.
        FailedToIssueAccessToken = "failedToIssueAccessToken",
        /// The client is not valid.
        InvalidClient = "invalidClient",
        /// The client type is not valid.
        InvalidClientType = "invalidClientType",
        /// The client id is not valid.
        InvalidClientId = "invalidClientId",
        /// The target organizations are not valid.
        InvalidTargetAccounts = "invalidTargetAccounts",
        /// The host authorization was not found.
        HostAuthorizationNotFound = "hostAuthorizationNotFound",
        /// The authorization was not found.
        AuthorizationNotFound = "authorizationNotFound",
        /// The token could not be updated.
        FailedToUpdateAccessToken = "failedToUpdateAccessToken",
        /// The source is not supported.
        SourceNotSupported = "sourceNotSupported",
        /// The source IP is not valid.
        InvalidSourceIp = "invalidSourceIP",
        /// The source is not valid.
        InvalidSource = "invalidSource",
        /// A token with the same hash exists.
        DuplicateHash = "duplicateHash",
        /// SSH policy is disabled.
        SshPolicyDisabled = "sshPolicyDisabled",
        /// The token is not valid.
        InvalidToken = "invalidToken",
        /// The token was not found.
        TokenNotFound = "tokenNotFound",
        /// The authorization id is not valid.
        InvalidAuthorizationId = "invalidAuthorizationId",
        /// The tenant policy could not be read.
        FailedToReadTenantPolicy = "failedToReadTenantPolicy",
        /// The organization's global PAT policy forbids it.
        GlobalPatPolicyViolation = "globalPatPolicyViolation",
        /// The full-scope PAT policy forbids it.
        FullScopePatPolicyViolation = "fullScopePatPolicyViolation",
        /// The PAT lifespan policy forbids it.
        PatLifespanPolicyViolation = "patLifespanPolicyViolation",
        /// The token type is not valid.
        InvalidTokenType = "invalidTokenType",
        /// The audience is not valid.
        InvalidAudience = "invalidAudience",
        /// The subject is not valid.
        InvalidSubject = "invalidSubject",
        /// The deployment host is not supported.
        DeploymentHostNotSupported = "deploymentHostNotSupported",
    }
}

impl CheckAnswer for PatTokenResult {
    fn check(&self, status: u16) -> Result<()> {
        match &self.pat_token_error {
            None | Some(PatTokenError::None) => Ok(()),
            Some(code) => Err(Error::pat_token(code.as_str(), status)),
        }
    }
}

/// The PAT outcome code of an [`Error`], typed.
pub trait PatTokenErrorExt {
    /// The `patTokenError` the service reported, when the error is one.
    ///
    /// ```
    /// use ado_tokens::{PatTokenErrorExt, types::PatTokenError};
    /// let err = ado_core::Error::pat_token("tokenNotFound", 200);
    /// assert_eq!(err.pat_token_error_kind(), Some(PatTokenError::TokenNotFound));
    /// assert!(err.is_not_found());
    /// ```
    fn pat_token_error_kind(&self) -> Option<PatTokenError>;
}

impl PatTokenErrorExt for Error {
    fn pat_token_error_kind(&self) -> Option<PatTokenError> {
        self.pat_token_error().map(PatTokenError::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(error: Option<PatTokenError>) -> PatTokenResult {
        PatTokenResult {
            pat_token: None,
            pat_token_error: error,
        }
    }

    #[test]
    fn an_answer_with_no_error_or_none_passes_its_check() {
        assert!(result(None).check(200).is_ok());
        assert!(result(Some(PatTokenError::None)).check(200).is_ok());
    }

    #[test]
    fn an_answer_with_an_error_code_fails_its_check_with_that_code() {
        let err = result(Some(PatTokenError::AccessDenied)).check(200).unwrap_err();
        assert!(err.is_forbidden());
        assert_eq!(err.pat_token_error_kind(), Some(PatTokenError::AccessDenied));
        assert_eq!(err.status(), Some(200));
    }

    #[test]
    fn an_error_from_elsewhere_has_no_pat_code() {
        assert_eq!(Error::invalid_input("x").pat_token_error_kind(), None);
        assert_eq!(
            Error::pat_token("somethingNew", 200).pat_token_error_kind(),
            Some(PatTokenError::Other("somethingNew".into()))
        );
    }
}

/// The request builders build once their required fields are given.
#[cfg(test)]
mod builders {
    use crate::types::*;

    #[test]
    fn the_token_requests_build_with_their_required_fields() {
        let create: PatTokenCreateRequest = PatTokenCreateRequest::builder()
            .display_name("ci")
            .scope(Some("vso.build".to_string()))
            .try_into()
            .unwrap();
        assert_eq!(create.display_name, "ci");
        let id: uuid::Uuid = "3d3aca0c-9ad3-4b07-8334-08ec8b1ddc32".parse().unwrap();
        let update: PatTokenUpdateRequest = PatTokenUpdateRequest::builder()
            .authorization_id(id)
            .try_into()
            .unwrap();
        assert_eq!(update.authorization_id, id);
        let missing: Result<PatTokenUpdateRequest, _> = PatTokenUpdateRequest::builder().try_into();
        assert!(missing.unwrap_err().to_string().contains("authorization_id"));
    }
}

/// `token` and `targetAccounts` are always sent, `null` when empty: they are written back as
/// `null`, and an answer without them still decodes.
#[cfg(test)]
mod nullable_fields {
    use crate::types::PatToken;

    #[test]
    fn a_token_without_secret_or_targets_is_written_with_both_as_null() {
        let token = PatToken::default();
        let json = serde_json::to_value(&token).unwrap();
        assert_eq!(json, serde_json::json!({"targetAccounts": null, "token": null}));
    }

    #[test]
    fn an_answer_that_leaves_them_out_decodes_as_none() {
        let token: PatToken = serde_json::from_str(r#"{"displayName": "ci"}"#).unwrap();
        assert_eq!((token.token, token.target_accounts), (None, None));
    }
}
