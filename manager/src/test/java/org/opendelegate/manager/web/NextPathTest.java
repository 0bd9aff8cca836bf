package org.opendelegate.manager.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The page after sign-in: only a page of this console; known open-redirect bypasses all go home. */
class NextPathTest {

    /** Known open-redirect payloads (OWASP, PayloadsAllTheThings and browser URL-parsing quirks). */
    static List<String> bypasses() {
        return List.of(
                "//evil.com",
                "///evil.com",
                "////evil.com",
                "/\\evil.com",
                "\\/evil.com",
                "\\\\evil.com",
                "\\/\\/evil.com",
                "/\\/evil.com",
                "https://evil.com",
                "http://evil.com/setup/delegates",
                "https:evil.com",
                "http:/evil.com",
                "//evil.com/%2F..",
                "javascript:alert(1)",
                "JavaScript:alert(1)",
                "data:text/html,<script>alert(1)</script>",
                "/%09/evil.com",
                "/\t/evil.com",
                "/\n/evil.com",
                "/\r\n/evil.com",
                "/%0d%0aLocation:https://evil.com",
                "/%0D%0ASet-Cookie:x=y",
                "/%2F%2Fevil.com",
                "/%2f%2fevil.com",
                "/%5Cevil.com",
                "/%5cevil.com",
                "/%252F%252Fevil.com",
                "/%25252F%25252Fevil.com",
                "/\u2215\u2215evil.com",
                "/\uFF0F\uFF0Fevil.com",
                "/\u3002evil.com",
                "/%E2%88%95%E2%88%95evil.com",
                "/%EF%BC%8F%EF%BC%8Fevil.com",
                " //evil.com",
                "/ /evil.com",
                "\u0000//evil.com",
                "/%00//evil.com",
                "/..//evil.com",
                "/./..//evil.com",
                "/%2e%2e//evil.com",
                "/setup/../..//evil.com",
                "evil.com",
                "@evil.com",
                "//user@evil.com",
                "/setup\u0007",
                "/%",
                "/%zz",
                "/%C0%AF%C0%AFevil.com",
                "/login",
                "/login?next=//evil.com",
                "/logout",
                "",
                "/" + "a".repeat(NextPath.MAX_LENGTH));
    }

    @ParameterizedTest
    @MethodSource("bypasses")
    void aKnownBypassGoesHome(String next) {
        assertThat(NextPath.orHome(next)).isEqualTo(NextPath.HOME);
    }

    @Test
    void atLeastThirtyBypassesAreTried() {
        assertThat(bypasses()).hasSizeGreaterThanOrEqualTo(30);
    }

    @Test
    void aPageOfThisConsoleIsKept() {
        for (String page : List.of(
                "/setup/users",
                "/setup/delegates?group=abc",
                "/tasks/7b1c2d?tab=log#end",
                "/setup/cloud-providers/p-1",
                "/setup/delegates?name=a%2Db",
                "/")) {
            assertThat(NextPath.orHome(page)).as(page).isEqualTo(page);
        }
        assertThat(NextPath.orHome(null)).isEqualTo(NextPath.HOME);
    }
}
