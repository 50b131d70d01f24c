package io.conveyor.testsupport;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The dependency rules every module keeps, as ArchUnit rules over its compiled main classes: packages form no
 * cycle, and no two CDI beans depend on each other (directly or around a longer loop). A rule that fails names
 * the classes and the dependencies that close the loop.
 */
public final class ArchitectureRules {

    /** Scope annotations that make a class a bean here; producers and mappers without one are not counted. */
    private static final List<String> BEAN_SCOPES = List.of(
            "jakarta.enterprise.context.ApplicationScoped",
            "jakarta.enterprise.context.RequestScoped",
            "jakarta.enterprise.context.Dependent",
            "jakarta.inject.Singleton");

    private ArchitectureRules() {}

    /** The production classes below {@code rootPackage}; test classes are left out. */
    public static JavaClasses mainClasses(String rootPackage) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
    }

    /** Each direct sub-package of {@code rootPackage} (with everything below it) is one slice; slices form no cycle. */
    public static ArchRule noPackageCycles(String rootPackage) {
        return slices().matching(rootPackage + ".(*)..").should().beFreeOfCycles();
    }

    /** Each bean, with its nested classes, is one slice; beans form no cycle. */
    public static ArchRule noBeanCycles() {
        return slices().assignedFrom(new BeanSlices()).should().beFreeOfCycles();
    }

    private static final class BeanSlices implements SliceAssignment {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            JavaClass top = javaClass;
            while (top.getEnclosingClass().isPresent()) {
                top = top.getEnclosingClass().get();
            }
            return isBean(top) ? SliceIdentifier.of(top.getSimpleName()) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "CDI beans";
        }

        private static boolean isBean(JavaClass javaClass) {
            return BEAN_SCOPES.stream().anyMatch(javaClass::isAnnotatedWith);
        }
    }
}
