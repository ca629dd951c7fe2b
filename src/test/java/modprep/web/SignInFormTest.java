package modprep.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import modprep.testing.TestEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sign-in form's token (no session before sign-in, L4) holds while the browser asks for the page again behind it. */
class SignInFormTest {
    @TempDir
    Path dir;

    @Test
    void a_sign_in_form_still_works_after_the_browser_fetched_the_sign_in_page_again_for_its_icon() {
        try (var server = new ConsoleServer(new TestEnvironment("11.16.1").module("Core"), dir.resolve("env"))) {
            var client = ConsoleClient.of(server);
            client.get("/signin");
            String form = client.csrf;
            // Chrome asks for /favicon.ico, which sends a signed-out visitor to /signin: the page shown keeps working.
            assertEquals(302, client.send("GET", "/favicon.ico").status());
            assertEquals(200, client.send("GET", "/signin?next=%2Ffavicon.ico").status());
            var answer = client.postExactly("/signin", Map.of("csrf", form, "name", ConsoleServer.ADMIN,
                    "password", ConsoleServer.PASSWORD, "next", "/"));
            assertEquals(302, answer.status(), answer.body());
        }
    }
}
