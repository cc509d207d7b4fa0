package dev.ballast.catalog;

import java.util.List;

/** What steps and checks share: a name, a description and their parameters, as the API lists them. */
public interface CatalogEntry {

    String id();

    /** "step" or "check". */
    String kind();

    String description();

    List<ParameterSpec> parameters();
}
