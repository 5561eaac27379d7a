package io.qoderevents;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import org.springframework.stereotype.Controller;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Package by feature: controllers and repositories stay inside their feature, vendor
 * types stay in upstream.
 */
class ArchitectureTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.qoderevents");

	@Test
	void controllersAndRepositoriesWhenDeclaredThenPackagePrivate() {
		classes().that()
			.areAnnotatedWith(RestController.class)
			.or()
			.areAnnotatedWith(Controller.class)
			.or()
			.areAnnotatedWith(Repository.class)
			.should()
			.notBePublic()
			.check(this.classes);
	}

	@Test
	void upstreamWhenUsedThenNeverFromControllers() {
		noClasses().that()
			.areAnnotatedWith(RestController.class)
			.and()
			.resideOutsideOfPackage("io.qoderevents.demo")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.qoderevents.upstream")
			.because("vendor types never reach a controller")
			.check(this.classes);
	}

	@Test
	void demoWhenProductionCodeThenNeverDependedOn() {
		noClasses().that()
			.resideOutsideOfPackage("io.qoderevents.demo..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.qoderevents.demo..")
			.check(this.classes);
	}

}
