package org.opendelegate.manager.secrets;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;
import org.opendelegate.manager.store.SecretUse;
import org.opendelegate.manager.store.SecretVersion;

/**
 * One secret as the API shows it: its metadata, its versions (who set each and when) and where it is used
 * (the newest tasks that referenced it). Never its value.
 */
public record SecretDetail(@JsonUnwrapped SecretView secret, List<SecretVersion> versions, List<SecretUse> usedBy) {}
