package org.opendelegate.manager.profiles;

import org.opendelegate.manager.delegates.DelegateView;

/**
 * The kept output of a delegate's last profile run.
 *
 * @param profile the delegate's profile state
 * @param runProfileName the profile the last run applied (it may be an earlier one), or null before the first
 * @param runVersion the version the last run applied, or null
 * @param runStatus how the last run went, or null
 * @param output the last {@value ProfileRuns#MAX_OUTPUT_BYTES} bytes of its output, whole lines
 */
public record ProfileOutputView(
        String delegateId,
        String delegateName,
        DelegateView.Profile profile,
        String runProfileName,
        Integer runVersion,
        String runStatus,
        String output) {}
