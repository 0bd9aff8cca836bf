package org.opendelegate.manager.delegates;

import java.util.List;

/**
 * The answer to a rotation.
 *
 * @param token the new token, with its secret (shown this once)
 * @param replaced the old token, which keeps working until its {@code expiresAt}
 * @param stillUsingReplaced the delegates whose last registration used the old token: each must be
 *     restarted with the new secret before the old token expires
 */
public record RotationView(TokenView token, TokenView replaced, List<TokenDelegateView> stillUsingReplaced) {}
