package org.opendelegate.protocol;

/**
 * The Manager's answer to a {@link ProfileRunReport}.
 *
 * @param recorded false when the report was not kept because the run is superseded: the delegate is
 *     assigned another profile version by now, or a newer run of the version was reported. The
 *     delegate drops such a run's remaining reports.
 */
public record ProfileRunResponse(boolean recorded) {}
