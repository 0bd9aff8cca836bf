package org.opendelegate.manager.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.http.Context;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** Failures the client caused are one log line; an exchange Jetty already recycled is not touched at all. */
class ClientFailuresTest {
    /** A request whose client hung up and whose exchange Jetty recycled: every look at it fails. */
    private static final Context RECYCLED = (Context) Proxy.newProxyInstance(
            ClientFailuresTest.class.getClassLoader(), new Class<?>[] {Context.class}, (proxy, method, args) -> {
                throw new NullPointerException("the request of a recycled exchange is null");
            });

    @Test
    void anExchangeJettyAlreadyRecycledCountsAsAClientThatHungUpWithoutLookingAtTheRequest() {
        IllegalStateException over = new IllegalStateException("Response does not exist (likely recycled)");

        assertThat(ClientFailures.hungUp(over, RECYCLED)).isTrue();
        assertThat(ClientFailures.hungUp(new RuntimeException("wrapped", over), RECYCLED))
                .isTrue();
    }

    @Test
    void anyOtherIllegalStateIsNotTheClientsDoing() {
        assertThat(ClientFailures.answer(new IllegalStateException("a bug"), RECYCLED))
                .isNull();
    }
}
