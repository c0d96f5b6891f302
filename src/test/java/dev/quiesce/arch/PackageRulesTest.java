package dev.quiesce.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.springframework.context.SmartLifecycle;

/** The package rules of STYLE.md, enforced: the layout cannot rot quietly. */
class PackageRulesTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Spring AOT's generated bean definitions (Foo__BeanDefinitions, present after `package`) wire every
            // package together by design; the rules are about the code we write.
            .withImportOption(location -> !location.matches(Pattern.compile(".*__[A-Za-z]+(\\$.*)?\\.class")))
            .importPackages("dev.quiesce");

    private static void onlyDependsOn(String pkg, String... allowed) {
        String[] packages = new String[allowed.length + 2];
        packages[0] = "dev.quiesce." + pkg + "..";
        packages[1] = "java..";
        for (int i = 0; i < allowed.length; i++) {
            packages[i + 2] = "dev.quiesce." + allowed[i] + "..";
        }
        classes().that().resideInAPackage("dev.quiesce." + pkg + "..")
                .should().onlyDependOnClassesThat(
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage("dev.quiesce..")
                                .or(com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(packages)))
                .because(pkg + " depends only downward")
                .check(CLASSES);
    }

    @Test
    void configDependsOnNoOtherPackageOfOurs() {
        onlyDependsOn("config");
    }

    @Test
    void theLifecycleKernelImportsNoOtherPackageOfOursButConfig() {
        onlyDependsOn("lifecycle", "config");
    }

    @Test
    void jobsIsTheDomainAndDependsOnNothingAboveIt() {
        onlyDependsOn("jobs", "config");
    }

    @Test
    void theStoreDependsOnJobsAndTheLifecyclePortsOnly() {
        onlyDependsOn("store", "jobs", "lifecycle", "config");
    }

    /** The database dialects: each in a package of its own below the store. */
    private static final String[] DIALECTS = { "dev.quiesce.store.sqlite..", "dev.quiesce.store.postgres.." };

    @Test
    void eachDialectUsesOnlyTheStoreAndItsOwnPackage() {
        for (String dialect : DIALECTS) {
            classes().that().resideInAPackage(dialect)
                    .should().onlyDependOnClassesThat(
                            com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage("dev.quiesce..")
                                    .or(com.tngtech.archunit.core.domain.JavaClass.Predicates
                                            .resideInAnyPackage("dev.quiesce.store", dialect)))
                    .because("a dialect adds to the store's SQL only what its database needs")
                    .check(CLASSES);
        }
    }

    @Test
    void nothingOutsideTheStoreUsesADialectAndInsideItOnlyItsConfigurationPicksOne() {
        noClasses().that().resideOutsideOfPackage("dev.quiesce.store..")
                .should().dependOnClassesThat().resideInAnyPackage(DIALECTS)
                .check(CLASSES);
        noClasses().that().resideInAPackage("dev.quiesce.store").and().doNotHaveSimpleName("StoreConfiguration")
                .should().dependOnClassesThat().resideInAnyPackage(DIALECTS)
                .because("the store's code speaks to SqlDialect, never to a database by name")
                .check(CLASSES);
    }

    @Test
    void theProcessorDependsOnJobsStoreAndLifecycle() {
        onlyDependsOn("processor", "jobs", "store", "lifecycle", "config");
    }

    @Test
    void thePoolDependsOnJobsStoreAndLifecycle() {
        onlyDependsOn("pool", "jobs", "store", "lifecycle", "config");
    }

    @Test
    void theRequestsUseJobsStorePoolAndLifecycle() {
        onlyDependsOn("requests", "jobs", "store", "pool", "lifecycle", "config");
    }

    @Test
    void theSchedulerDependsOnJobsStoreAndLifecycle() {
        onlyDependsOn("scheduler", "jobs", "store", "lifecycle", "config");
    }

    @Test
    void theWebLayerUsesTheLayersBelowButNotOps() {
        onlyDependsOn("web", "jobs", "store", "requests", "scheduler", "lifecycle", "config");
    }

    @Test
    void thereAreNoCyclesBetweenPackages() {
        slices().matching("dev.quiesce.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void onlyTheStoreTouchesJdbc() {
        noClasses().that().resideOutsideOfPackage("dev.quiesce.store..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..")
                .check(CLASSES);
    }

    @Test
    void onlyWebAndOpsTouchSpringMvcAndServlets() {
        noClasses().that().resideOutsideOfPackages("dev.quiesce.web..", "dev.quiesce.ops..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("org.springframework.web..", "jakarta.servlet..", "org.springframework.security..")
                .check(CLASSES);
    }

    @Test
    void onlyLifecycleClassesImplementSmartLifecycle() {
        classes().that().implement(SmartLifecycle.class).should().haveSimpleNameEndingWith("Lifecycle")
                .check(CLASSES);
    }

    @Test
    void theRootPackageHoldsOnlyMain() {
        classes().that().resideInAPackage("dev.quiesce").should().haveSimpleName("QuiesceApplication")
                .check(CLASSES);
    }
}
