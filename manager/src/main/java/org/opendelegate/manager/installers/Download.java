package org.opendelegate.manager.installers;

/**
 * A generated installer archive.
 *
 * @param fileName the name to save it under
 * @param archive the {@code .tar.gz} bytes
 * @param tokenId the id of the delegate token the archive uses
 * @param tokenName that token's name
 * @param tokenCreated true when this download created the token
 */
public record Download(String fileName, byte[] archive, String tokenId, String tokenName, boolean tokenCreated) {
}
