package io.vigil.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way (STYLE.md): model ← exposition, storage ← tsdb, promql, scrape, push,
 * remote ← rules, web ← server. The server module sees every other module, so the rules are
 * checked here over all of Vigil's production classes.
 */
class ArchitectureTest {
  private static JavaClasses vigil;

  @BeforeAll
  static void importClasses() {
    vigil = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.vigil");
  }

  private static void noDependency(String from, String... to) {
    noClasses().that().resideInAPackage(from).should().dependOnClassesThat().resideInAnyPackage(to)
        .allowEmptyShould(true).check(vigil);
  }

  @Test
  void modelDependsOnNoOtherModule() {
    noDependency("io.vigil.model..", "io.vigil.storage..", "io.vigil.exposition..", "io.vigil.tsdb..",
        "io.vigil.promql..", "io.vigil.config..", "io.vigil.web..", "io.vigil.server..", "io.vigil.push..",
        "io.vigil.scrape..", "io.vigil.remote..", "io.vigil.rules..", "io.vigil.notify..");
  }

  @Test
  void storageApiDependsOnlyOnModel() {
    noDependency("io.vigil.storage..", "io.vigil.tsdb..", "io.vigil.promql..", "io.vigil.web..", "io.vigil.server..",
        "io.vigil.exposition..", "io.vigil.config..");
  }

  @Test
  void promqlNeverImportsTsdb() {
    noDependency("io.vigil.promql..", "io.vigil.tsdb..", "io.vigil.web..", "io.vigil.server..", "io.vigil.scrape..",
        "io.vigil.push..", "io.vigil.rules..");
  }

  @Test
  void tsdbKnowsNothingAboveStorage() {
    noDependency("io.vigil.tsdb..", "io.vigil.promql..", "io.vigil.web..", "io.vigil.server..", "io.vigil.push..",
        "io.vigil.scrape..", "io.vigil.remote..", "io.vigil.rules..", "io.vigil.config..");
  }

  @Test
  void webDeclaresNarrowInterfacesInsteadOfImportingManagers() {
    noDependency("io.vigil.web..", "io.vigil.server..", "io.vigil.tsdb..", "io.vigil.scrape..", "io.vigil.rules..",
        "io.vigil.notify..");
  }

  @Test
  void onlyTheServerSeesTheServer() {
    noClasses().that().resideOutsideOfPackage("io.vigil.server..").should().dependOnClassesThat()
        .resideInAPackage("io.vigil.server..").check(vigil);
  }

  @Test
  void regexesGoThroughRe2jNeverJavaUtilRegex() {
    noClasses().should().dependOnClassesThat().resideInAPackage("java.util.regex..")
        .because("user regexes must run in linear time (RE2 via re2j)").check(vigil);
  }

  @Test
  void noUnsafe() {
    noClasses().should().dependOnClassesThat().haveFullyQualifiedName("sun.misc.Unsafe")
        .because("off-heap memory goes through the FFM API").check(vigil);
  }
}
