package dev.quiesce.arch;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import org.springframework.context.SmartLifecycle;

/**
 * The package rules of STYLE.md, enforced: the layout cannot rot quietly. Each package's {@code package-info.java}
 * says in words what its rule here says.
 */
class PackageRulesTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // Spring AOT's generated bean definitions (Foo__BeanDefinitions, present after `package`) wire every
            // package together by design; the rules are about the code we write.
            .withImportOption(location -> !location.matches(Pattern.compile(".*__[A-Za-z]+(\\$.*)?\\.class")))
            .importPackages("dev.quiesce");

    /**
     * Classes of {@code pkg} and its sub-packages use, of ours, only those and {@code allowed}: each a package
     * under {@code dev.quiesce}, with its sub-packages when it ends in {@code ..}, alone otherwise.
     */
    private static void onlyDependsOn(String pkg, String... allowed) {
        String[] packages = new String[allowed.length + 2];
        packages[0] = "dev.quiesce." + pkg + "..";
        packages[1] = "java..";
        for (int i = 0; i < allowed.length; i++) {
            packages[i + 2] = "dev.quiesce." + allowed[i];
        }
        classes().that().resideInAPackage("dev.quiesce." + pkg + "..")
                .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.quiesce..")
                        .or(resideInAnyPackage(packages)))
                .because(pkg + " depends only downward")
                .check(CLASSES);
    }

    @Test
    void configDependsOnNoOtherPackageOfOurs() {
        onlyDependsOn("config");
    }

    @Test
    void theLifecycleKernelImportsNoOtherPackageOfOursButConfig() {
        onlyDependsOn("lifecycle", "config..");
    }

    @Test
    void jobsAndItsSubPackagesDependOnNothingAboveJobs() {
        onlyDependsOn("jobs", "config..");
    }

    @Test
    void theDomainUsesNoneOfItsSubPackages() {
        noClasses().that().resideInAPackage("dev.quiesce.jobs")
                .should().dependOnClassesThat().resideInAPackage("dev.quiesce.jobs.*..")
                .because("the extension point and the built-in types build on the domain, not the other way round")
                .check(CLASSES);
    }

    @Test
    void theBuiltInTypesAreUsedByNobodyButTheirOwnPackage() {
        noClasses().that().resideOutsideOfPackage("dev.quiesce.jobs.builtin..")
                .should().dependOnClassesThat().resideInAPackage("dev.quiesce.jobs.builtin..")
                .because("they are JobType beans like a user's: the catalog finds them, nobody names them")
                .check(CLASSES);
    }

    @Test
    void theStoreDependsOnJobsAndTheLifecyclePortsOnly() {
        onlyDependsOn("store", "jobs..", "lifecycle..", "config..");
    }

    /** The database dialects: each in a package of its own below the store. */
    private static final String[] DIALECTS = { "dev.quiesce.store.sqlite..", "dev.quiesce.store.postgres.." };

    @Test
    void eachDialectUsesOnlyTheStoreAndItsOwnPackage() {
        for (String dialect : DIALECTS) {
            classes().that().resideInAPackage(dialect)
                    .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.quiesce..")
                            .or(resideInAnyPackage("dev.quiesce.store", dialect)))
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
        onlyDependsOn("processor", "jobs..", "store", "lifecycle..", "config..");
    }

    @Test
    void thePoolDependsOnJobsStoreAndLifecycle() {
        onlyDependsOn("pool", "jobs..", "store", "lifecycle..", "config..");
    }

    @Test
    void theRequestsUseJobsStorePoolAndLifecycle() {
        onlyDependsOn("requests", "jobs..", "store", "pool", "lifecycle..", "config..");
    }

    @Test
    void theSchedulerDependsOnJobsStoreAndLifecycle() {
        onlyDependsOn("scheduler", "jobs..", "store", "lifecycle..", "config..");
    }

    @Test
    void theWebLayerUsesTheRequestsNeitherThePoolNorOps() {
        onlyDependsOn("web", "jobs..", "store", "requests", "scheduler", "lifecycle..", "config..");
    }

    @Test
    void theControllersKnowNothingOfTomcatTheStreamOrTheStop() {
        noClasses().that().resideInAPackage("dev.quiesce.web")
                .should().dependOnClassesThat().resideInAPackage("dev.quiesce.web.*..")
                .because("those build on the web layer: Tomcat's side answers with its problems, the stop ends its "
                        + "waits")
                .check(CLASSES);
    }

    @Test
    void tomcatsSideUsesTheWebLayerOnly() {
        onlyDependsOn("web.tomcat", "web", "config..");
    }

    @Test
    void theLifecycleStreamUsesTheLifecycleOnly() {
        onlyDependsOn("web.stream", "lifecycle..", "config..");
    }

    @Test
    void theWebPhaseOfAStopUsesWhatItEnds() {
        onlyDependsOn("web.stop", "web", "web.stream", "requests", "lifecycle..", "config..");
    }

    @Test
    void onlyTomcatsSideTouchesTomcatsContainer() {
        noClasses().that().resideOutsideOfPackage("dev.quiesce.web.tomcat..")
                .should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.catalina..", "org.springframework.boot.tomcat..")
                .check(CLASSES);
    }

    @Test
    void thereAreNoCyclesBetweenPackages() {
        slices().matching("dev.quiesce.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    /** Below the top level too: a sub-package builds on its parent (or a sibling), never the other way round. */
    @Test
    void thereAreNoCyclesBetweenSubPackages() {
        slices().matching("dev.quiesce.(**)").should().beFreeOfCycles()
                // The store's configuration picks a dialect, each of which implements the store's SqlDialect.
                .ignoreDependency(simpleName("StoreConfiguration").and(resideInAPackage("dev.quiesce.store")),
                        resideInAnyPackage(DIALECTS))
                .check(CLASSES);
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
        classes().that().resideInAPackage("dev.quiesce").and().doNotHaveSimpleName("package-info")
                .should().haveSimpleName("QuiesceApplication")
                .check(CLASSES);
    }
}
