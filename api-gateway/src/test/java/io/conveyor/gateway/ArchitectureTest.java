package io.conveyor.gateway;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

import io.conveyor.testsupport.ArchitectureRules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The gateway's dependency rules: no package or bean cycles, and only the REST layer knows HTTP. */
class ArchitectureTest {

    private static final JavaClasses GATEWAY = ArchitectureRules.mainClasses("io.conveyor.gateway");

    @Test
    void packagesFormNoCycle() {
        ArchitectureRules.noPackageCycles("io.conveyor.gateway").check(GATEWAY);
    }

    @Test
    void beansFormNoCycle() {
        ArchitectureRules.noBeanCycles().check(GATEWAY);
    }

    /** The API (rest) and the console's pages (console) are the gateway's two HTTP layers; nothing else knows HTTP. */
    @Test
    void onlyTheRestLayerKnowsHttp() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.conveyor.gateway.rest..", "io.conveyor.gateway.console..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("jakarta.ws.rs..", "org.jboss.resteasy..")
                .check(GATEWAY);
    }
}
