package org.opendelegate.manager.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opendelegate.manager.testing.TestManager;

class SecretBoxTest {
    private static final byte[] KEY = new byte[32];
    private static final byte[] OTHER = Base64.getDecoder().decode("q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=");

    @Test
    void aSealedSecretOpensOnlyWithItsKeyAndContext() {
        SecretBox box = new SecretBox(KEY);
        String sealed = box.seal("wJalrXUtnFEMI/K7MDENG", "cloud-provider:1");

        assertThat(sealed).startsWith("v1:").doesNotContain("wJalrXUtnFEMI");
        assertThat(box.seal("same", "c")).isNotEqualTo(box.seal("same", "c"));
        assertThat(box.open(sealed, "cloud-provider:1")).isEqualTo("wJalrXUtnFEMI/K7MDENG");
        assertThatThrownBy(() -> box.open(sealed, "cloud-provider:2")).isInstanceOf(SecretBox.WrongKeyException.class);
        assertThatThrownBy(() -> new SecretBox(OTHER).open(sealed, "cloud-provider:1"))
                .isInstanceOf(SecretBox.WrongKeyException.class);
        String tampered = sealed.substring(0, sealed.length() - 4) + "AAAA";
        assertThatThrownBy(() -> box.open(tampered, "cloud-provider:1"))
                .isInstanceOf(SecretBox.WrongKeyException.class);
    }

    @Test
    void aGeneratedKeyIsOwnerOnlyAndReusedAndAGivenKeyIsChecked(@TempDir Path dir) throws Exception {
        byte[] first = MasterKey.load(Optional.empty(), dir);
        byte[] again = MasterKey.load(Optional.empty(), dir);

        assertThat(first).hasSize(32).isEqualTo(again);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(MasterKey.FILE))))
                .isEqualTo("rw-------");
        assertThat(MasterKey.load(Optional.of(Base64.getEncoder().encodeToString(OTHER)), dir))
                .isEqualTo(OTHER);
        assertThatThrownBy(() -> MasterKey.decode("not base64!")).hasMessageContaining("openssl rand -base64 32");
        assertThatThrownBy(() -> MasterKey.decode("c2hvcnQ=")).hasMessageContaining("decodes to 5 bytes");
    }

    @Test
    void theManagerRefusesToStartWithAnotherKeyThanItsStoreWasCreatedWith() {
        String key = Base64.getEncoder().encodeToString(OTHER);
        Path dataDir;
        try (TestManager first = TestManager.start(Map.of("OPENDELEGATE_MASTER_KEY", key))) {
            dataDir = first.dataDir();
        }
        String wrong = Base64.getEncoder().encodeToString(KEY);

        assertThatThrownBy(() -> TestManager.start(
                        Map.of("OPENDELEGATE_DATA_DIR", dataDir.toString(), "OPENDELEGATE_MASTER_KEY", wrong)))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("is not the key this store's secrets were encrypted with")
                .hasMessageContaining("OPENDELEGATE_MASTER_KEY")
                .hasMessageNotContaining(wrong);
        TestManager.start(Map.of("OPENDELEGATE_DATA_DIR", dataDir.toString(), "OPENDELEGATE_MASTER_KEY", key))
                .close();
    }
}
