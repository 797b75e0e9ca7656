//! The macro an area crate declares itself with.

/// Declare an area (for the generated area crates): its `AreaInfo`, and `connect`, which builds
/// the generated client over a shared [`Config`](crate::Config).
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

        /// The generated client of this area over a shared configuration.
        fn connect(config: &$crate::Config) -> $client {
            <$client>::new($crate::__private::Runtime::new(config, &AREA))
        }
    };
}
