package org.opendelegate.manager.installers;

import java.util.List;

/**
 * A generated installer archive.
 *
 * @param fileName the name to save it under
 * @param archive the {@code .tar.gz} bytes
 * @param tokenId the id of the delegate token the archive uses
 * @param tokenName that token's name
 * @param tokenCreated true when this download created the token
 * @param steps what to do with the archive, in order, with the same commands as its README.txt
 * @param notices what needs attention before the steps work (the README's warnings), possibly none
 */
public record Download(
        String fileName,
        byte[] archive,
        String tokenId,
        String tokenName,
        boolean tokenCreated,
        List<Step> steps,
        List<String> notices) {

    public Download {
        steps = List.copyOf(steps);
        notices = List.copyOf(notices);
    }

    /**
     * One thing to do after the download.
     *
     * @param what what the step does, as a sentence
     * @param command the command that does it, exactly as README.txt gives it (may span lines)
     */
    public record Step(String what, String command) {}
}
