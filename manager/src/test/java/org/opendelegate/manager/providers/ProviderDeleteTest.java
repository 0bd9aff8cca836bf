package org.opendelegate.manager.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opendelegate.manager.config.ProvidersConfig;
import org.opendelegate.manager.problems.DomainProblem;
import org.opendelegate.manager.problems.ProblemKind;
import org.opendelegate.manager.security.Principal;
import org.opendelegate.manager.security.Role;
import org.opendelegate.manager.security.SecretBox;
import org.opendelegate.manager.store.Account;
import org.opendelegate.manager.store.AccountDao;
import org.opendelegate.manager.store.AffinityDao;
import org.opendelegate.manager.store.AuditDao;
import org.opendelegate.manager.store.CloudProviderDao;
import org.opendelegate.manager.testing.TestDatabases;

/**
 * Deleting a provider something uses is refused with the list of its users. Nothing in the product uses
 * providers yet, so the users come from a fake {@link ProviderUsage}.
 */
class ProviderDeleteTest {
    private final TestDatabases.TestStore store = TestDatabases.h2();
    private final Principal admin = new Principal("a1", "user:admin", Role.ADMIN);

    @AfterEach
    void close() {
        store.close();
    }

    private CloudProviders providers(ProviderUsage usage) {
        var jdbi = store.database().jdbi();
        new AccountDao(jdbi).insert(new Account("a1", "a1", java.time.Instant.now()));
        return new CloudProviders(
                new CloudProviderDao(jdbi),
                new AffinityDao(jdbi),
                new AuditDao(jdbi),
                new SecretBox(new byte[32]),
                null,
                usage,
                new ProvidersConfig(Duration.ofSeconds(60)),
                Clock.systemUTC(),
                org.opendelegate.manager.testing.TestLimits.quotas(jdbi, Clock.systemUTC()));
    }

    private static CloudProviderRequest request() {
        return new CloudProviderRequest(
                "prod",
                "AWS",
                "us-east-1",
                new CloudProviderRequest.Credentials("DELEGATE_IAM_ROLE", List.of("ecs"), null, null),
                null);
    }

    @Test
    void aProviderInUseIsNotDeletedAndTheRefusalListsItsUsers() {
        CloudProviders providers = providers((account, id) -> List.of("deployment `payments`", "deployment `web`"));
        String id = providers.create(admin, request()).id();

        assertThatThrownBy(() -> providers.delete(admin, id)).isInstanceOfSatisfying(DomainProblem.class, e -> {
            assertThat(e.kind()).isEqualTo(ProblemKind.CONFLICT);
            assertThat(e.code()).isEqualTo("CLOUD_PROVIDER_IN_USE");
            assertThat(e.getMessage()).contains("deployment `payments`, deployment `web`");
            assertThat(e.extensions()).containsEntry("usedBy", List.of("deployment `payments`", "deployment `web`"));
        });
        assertThat(providers.list("a1")).hasSize(1);
    }

    @Test
    void anUnusedProviderIsDeletedAndAViewerMayNotDeleteAny() {
        CloudProviders providers = providers(ProviderUsage.NONE);
        String id = providers.create(admin, request()).id();

        assertThatThrownBy(() -> providers.delete(new Principal("a1", "user:v", Role.VIEWER), id))
                .isInstanceOfSatisfying(
                        DomainProblem.class, e -> assertThat(e.kind()).isEqualTo(ProblemKind.FORBIDDEN));
        providers.delete(admin, id);

        assertThat(providers.list("a1")).isEmpty();
    }
}
