package dev.ballast.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.ballast.problem.FieldError;
import dev.ballast.problem.InvalidInputException;

class HardwareChecksCatalogTest {

    final Catalog catalog = new Catalog();

    @Test
    void listsTheHardwareChecksWithTheirParameters() {
        assertThat(catalog.entries()).filteredOn(e -> e.kind().equals("check")).extracting(CatalogEntry::id)
                .contains("kernel", "iommu", "nvme-temperature", "pcie-link", "fio-baseline");
        assertThat(catalog.check("steps[0]", "kernel", Map.of()).params()).isEqualTo(
                new KernelCheck.Params(new KernelVersion(5, 15, 0)));
    }

    @Test
    void namesTheParameterFieldThroughTheCatalog() {
        assertThatThrownBy(() -> catalog.check("steps[2]", "fio-baseline", Map.of("device", "../sda")))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors()).extracting(FieldError::field)
                        .containsExactly("steps[2].params.device"));
    }
}
