package io.conveyor.gateway.security;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.conveyor.gateway.console.ConsoleLogin;
import io.conveyor.model.ops.OpsKeys;
import io.conveyor.testsupport.LocalServices;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

import static io.conveyor.gateway.security.ApiKeysTest.ALICE;
import static io.conveyor.gateway.security.ApiKeysTest.OPERATOR;
import static io.conveyor.gateway.security.ApiKeysTest.READER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a keys file, the console signs in with a key kept in a cookie only the console's paths read; pages need
 * reader, actions operator and a request from the console's own page (htmx's header, no foreign Origin).
 */
@QuarkusTest
@TestProfile(ApiKeysTest.WithKeysFile.class)
class ConsoleAccessTest {

    @RegisterExtension
    static final LocalServices services = new LocalServices();

    private static final String COOKIE = ApiKeyMechanism.CONSOLE_COOKIE;

    @AfterEach
    void resume() {
        services.redis().call("DEL", OpsKeys.PAUSED);
    }

    private static String signIn(String key) {
        Response answer = given().redirects()
                .follow(false)
                .formParam("key", key)
                .formParam("next", "/console/queues")
                .post("/console/login");
        answer.then()
                .statusCode(303)
                .header("Location", startsWith("http"))
                .header("Location", containsString("/console/queues"));
        String setCookie = answer.getHeader("Set-Cookie");
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Strict"), setCookie);
        assertTrue(setCookie.contains("Path=/console"), setCookie);
        return answer.getCookie(COOKIE);
    }

    @Test
    void withoutASignInThePagesSendToTheSignInForm() {
        given().redirects()
                .follow(false)
                .get("/console/dead-letters")
                .then()
                .statusCode(303)
                .header("Location", containsString("/console/login?next=%2Fconsole%2Fdead-letters"));
        given().get("/console/login")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .body(containsString("<label for=\"key\">API key</label>"));
    }

    @Test
    void aWrongKeySignsNobodyIn() {
        given().formParam("key", "not-a-key")
                .post("/console/login")
                .then()
                .statusCode(401)
                .header("Set-Cookie", equalTo(null))
                .body(containsString("That key is not valid."));
        given().formParam("key", " ").post("/console/login").then().statusCode(400);
    }

    @Test
    void aSignInFromAnotherSiteIsRefused() {
        given().header("Origin", "https://evil.example")
                .formParam("key", READER)
                .post("/console/login")
                .then()
                .statusCode(403)
                .header("Set-Cookie", equalTo(null));
    }

    @Test
    void aReaderSeesThePagesButIsOfferedNoAction() {
        String cookie = signIn(READER);
        for (String page : new String[] {
            "/console", "/console/queues", "/console/workers", "/console/tasks", "/console/dead-letters"
        }) {
            given().cookie(COOKIE, cookie)
                    .get(page)
                    .then()
                    .statusCode(200)
                    .body(containsString("auditor"))
                    .body(not(containsString("hx-post=\"/console/queues/")))
                    .body(not(containsString("Replay selected")));
        }
        given().cookie(COOKIE, cookie)
                .header("HX-Request", "true")
                .post("/console/queues/noop/pause")
                .then()
                .statusCode(403)
                .body(containsString("Only an operator may do this"));
        assertEquals(0L, services.redis().call("SCARD", OpsKeys.PAUSED));
    }

    @Test
    void aProducerMayNotOpenTheConsole() {
        String cookie = signIn(ALICE);
        given().cookie(COOKIE, cookie).get("/console").then().statusCode(403).body(containsString("needs reader"));
    }

    @Test
    void theApiNeverTakesTheConsoleCookie() {
        given().cookie(COOKIE, OPERATOR).get("/api/v1/tasks").then().statusCode(401);
        given().cookie(COOKIE, OPERATOR)
                .post("/api/v1/queues/noop/pause")
                .then()
                .statusCode(401);
    }

    @Test
    void anOperatorPausesFromTheConsoleOnlyThroughItsOwnPage() {
        String cookie = signIn(OPERATOR);
        given().cookie(COOKIE, cookie)
                .get("/console/queues")
                .then()
                .statusCode(200)
                .body(containsString("hx-post=\"/console/queues/noop/pause\""));
        // A form of another site can send neither htmx's header nor a matching Origin.
        given().cookie(COOKIE, cookie).post("/console/queues/noop/pause").then().statusCode(403);
        given().cookie(COOKIE, cookie)
                .header("HX-Request", "true")
                .header("Origin", "https://evil.example")
                .post("/console/queues/noop/pause")
                .then()
                .statusCode(403);
        assertEquals(0L, services.redis().call("SCARD", OpsKeys.PAUSED));

        given().cookie(COOKIE, cookie)
                .header("HX-Request", "true")
                .post("/console/queues/noop/pause")
                .then()
                .statusCode(204)
                .header("HX-Redirect", equalTo("/console/queues?done=paused&type=noop"));
        assertEquals(1L, services.redis().call("SISMEMBER", OpsKeys.PAUSED, "noop"));
        given().cookie(COOKIE, cookie)
                .get("/console/queues?done=paused&type=noop")
                .then()
                .body(containsString("Paused noop"))
                .body(containsString("hx-post=\"/console/queues/noop/resume\""));
        given().cookie(COOKIE, cookie)
                .header("HX-Request", "true")
                .post("/console/queues/nope/pause")
                .then()
                .statusCode(404);
        given().cookie(COOKIE, cookie)
                .header("HX-Request", "true")
                .post("/console/queues/noop/resume")
                .then()
                .statusCode(204);
        assertEquals(0L, services.redis().call("SISMEMBER", OpsKeys.PAUSED, "noop"));
    }

    @Test
    void signingOutForgetsTheKey() {
        String cookie = signIn(OPERATOR);
        Response out =
                given().cookie(COOKIE, cookie).header("HX-Request", "true").post("/console/logout");
        out.then().statusCode(204).header("HX-Redirect", equalTo("/console/login"));
        String setCookie = out.getHeader("Set-Cookie");
        assertTrue(setCookie.contains("Max-Age=0"), setCookie);
        assertFalse(out.getCookie(COOKIE) != null && !out.getCookie(COOKIE).isEmpty());
    }

    @Test
    void aSignInGoesBackOnlyToAConsolePage() {
        assertEquals("/console", ConsoleLogin.safeNext("https://evil.example/"));
        assertEquals("/console", ConsoleLogin.safeNext("//evil.example/console"));
        assertEquals("/console", ConsoleLogin.safeNext("/console//evil"));
        assertEquals("/console/tasks?type=noop", ConsoleLogin.safeNext("/console/tasks?type=noop"));
    }
}
