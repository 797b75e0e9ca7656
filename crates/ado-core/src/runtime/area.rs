//! The macros an area crate declares itself with.

/// Declare an area (for the generated area crates): its `AreaInfo`, the generated client's hooks, and `connect`, which builds
/// the generated client over a shared [`Config`] (the area's base URL, the shared HTTP client).
///
/// ```ignore
/// ado_core::area! {
///     client: generated::Client,
///     operations: generated::OPERATIONS,
///     host: ado_core::Host::Core,
///     requires_user_token: false,
/// }
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! area {
    (
        client: $client:ty,
        operations: $operations:path,
        host: $host:expr,
        requires_user_token: $user_token:expr $(,)?
    ) => {
        static AREA: $crate::__private::AreaInfo = $crate::__private::AreaInfo::new(
            env!("CARGO_PKG_NAME"),
            env!("CARGO_PKG_VERSION"),
            $host,
            &$operations,
            $user_token,
        );

        $crate::impl_hooks!($client);

        /// The generated client of this area over a shared configuration.
        fn connect(config: &$crate::Config) -> $client {
            let runtime = $crate::__private::Runtime::new(config, &AREA);
            let base_url = runtime.base_url();
            let http = runtime.http_client();
            <$client>::new_with_client(&base_url, http, runtime)
        }
    };
}

/// Implement the generated client's hooks with ado-core's `Runtime` (used by `area!`).
///
/// ```ignore
/// ado_core::impl_hooks!(generated::Client);
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! impl_hooks {
    ($client:ty) => {
        impl ::progenitor_client::ClientHooks<$crate::__private::Runtime> for $client {
            // The generated `send()` calls the runtime directly (`exchange`, which prepares
            // every attempt and hands the body back beside the response: see xtask's
            // `builder_send`). Progenitor requires these hooks; for any other caller, `exec`
            // does the same through `execute`, which prepares every attempt itself, so `pre`
            // keeps progenitor's default (nothing).
            fn exec(
                &self,
                request: ::reqwest::Request,
                info: &::progenitor_client::OperationInfo,
            ) -> impl ::std::future::Future<Output = ::reqwest::Result<::reqwest::Response>> + ::std::marker::Send {
                use ::progenitor_client::ClientInfo;
                self.inner().execute(request, info.operation_id)
            }
        }
    };
}
