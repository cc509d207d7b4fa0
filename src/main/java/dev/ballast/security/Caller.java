package dev.ballast.security;

/**
 * Who made a request: a user ("alice") or a token ("token:deploy"), with the role it holds. A caller
 * from a UI session also carries the session's CSRF token, which its changes must present.
 */
record Caller(String name, Role role, String csrfToken) {
}
