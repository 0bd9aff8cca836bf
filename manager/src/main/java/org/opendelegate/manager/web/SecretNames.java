package org.opendelegate.manager.web;

import java.util.List;

/**
 * The names of the secrets an account keeps in the Manager's secret store, for the Run Script form's picker
 * (offered as {@code secret:NAME}). Names only: a value never reaches the console.
 */
@FunctionalInterface
public interface SecretNames {
    /** No secret store: the picker offers nothing and people type references by hand. */
    SecretNames NONE = accountId -> List.of();

    /** The account's secret names, sorted. */
    List<String> names(String accountId);
}
