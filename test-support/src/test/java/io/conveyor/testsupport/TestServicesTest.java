package io.conveyor.testsupport;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.conveyor.testsupport.TestServices.Choice;
import io.conveyor.testsupport.TestServices.Mode;
import io.conveyor.testsupport.TestServices.Probe;
import io.conveyor.testsupport.TestServices.Source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resolver's decision alone, on made-up answers: no service is asked. */
class TestServicesTest {

    @Test
    void autoTakesExplicitSettingsFirstAndAsksNothingElse() {
        Answers answers = new Answers(true, true, true);
        assertEquals(Source.EXPLICIT, TestServices.choose(Mode.AUTO, answers).source());
        assertEquals(List.of("explicit"), answers.asked);
    }

    @Test
    void autoTakesTheLocalServicesWhenTheyAnswer() {
        Answers answers = new Answers(false, true, true);
        Choice choice = TestServices.choose(Mode.AUTO, answers);
        assertEquals(Source.LOCAL, choice.source());
        assertTrue(choice.reason().contains("127.0.0.1:5672"), choice.reason());
        assertEquals(List.of("explicit", "local"), answers.asked);
    }

    @Test
    void autoStartsContainersWhenNothingLocalAnswersAndDockerDoes() {
        Answers answers = new Answers(false, false, true);
        assertEquals(Source.CONTAINERS, TestServices.choose(Mode.AUTO, answers).source());
        assertEquals(List.of("explicit", "local", "docker"), answers.asked);
    }

    @Test
    void autoFailsNamingTheThreeWaysWhenNothingAnswers() {
        IllegalStateException failure = assertThrows(
                IllegalStateException.class, () -> TestServices.choose(Mode.AUTO, new Answers(false, false, false)));
        String message = failure.getMessage();
        assertTrue(message.contains("RABBITMQ_HOST") && message.contains("REDIS_URL"), message);
        assertTrue(message.contains("bash .ci/run") && message.contains("rabbitmq-server -detached"), message);
        assertTrue(message.contains("Docker") && message.contains("TESTCONTAINERS_RYUK_DISABLED=true"), message);
        assertTrue(message.contains("-Dconveyor.test.services=local|containers|auto"), message);
    }

    @Test
    void localIsForcedWithoutAskingWhetherAnythingAnswers() {
        Answers none = new Answers(false, false, true);
        assertEquals(Source.LOCAL, TestServices.choose(Mode.LOCAL, none).source());
        assertEquals(List.of("explicit"), none.asked);
        assertEquals(
                Source.EXPLICIT,
                TestServices.choose(Mode.LOCAL, new Answers(true, false, false)).source());
    }

    @Test
    void containersAreForcedOverExplicitSettingsAndLocalServices() {
        Answers answers = new Answers(true, true, true);
        Choice choice = TestServices.choose(Mode.CONTAINERS, answers);
        assertEquals(Source.CONTAINERS, choice.source());
        assertTrue(choice.reason().contains("-Dconveyor.test.services=containers"), choice.reason());
        assertEquals(List.of("docker"), answers.asked);
    }

    @Test
    void forcedContainersFailWithoutDockerSayingHowToGetIt() {
        IllegalStateException failure = assertThrows(
                IllegalStateException.class,
                () -> TestServices.choose(Mode.CONTAINERS, new Answers(true, true, false)));
        assertTrue(failure.getMessage().contains("DOCKER_HOST"), failure.getMessage());
        assertTrue(failure.getMessage().contains("TESTCONTAINERS_RYUK_DISABLED=true"), failure.getMessage());
    }

    @Test
    void modeIsAutoUnlessSetAndRefusesUnknownValues() {
        assertEquals(Mode.AUTO, Mode.parse(null));
        assertEquals(Mode.AUTO, Mode.parse(" "));
        assertEquals(Mode.CONTAINERS, Mode.parse("Containers"));
        assertEquals(Mode.LOCAL, Mode.parse("local"));
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> Mode.parse("docker"));
        assertTrue(failure.getMessage().contains("local, containers, auto"), failure.getMessage());
    }

    /** Fixed answers, recording which were asked, in order. */
    private static final class Answers implements Probe {
        private final boolean explicit;
        private final boolean local;
        private final boolean docker;
        final List<String> asked = new ArrayList<>();

        Answers(boolean explicit, boolean local, boolean docker) {
            this.explicit = explicit;
            this.local = local;
            this.docker = docker;
        }

        @Override
        public boolean explicit() {
            asked.add("explicit");
            return explicit;
        }

        @Override
        public boolean localAnswers() {
            asked.add("local");
            return local;
        }

        @Override
        public boolean dockerReachable() {
            asked.add("docker");
            return docker;
        }
    }
}
