package io.tessera.fhir;

import ca.uhn.fhir.rest.annotation.History;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Sort;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateAndListParam;
import ca.uhn.fhir.rest.param.StringAndListParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;

/** Device (an AI model version) read, version read, history and search by identifier (its Device UID) or name. */
public final class DeviceProvider extends StoredResourceProvider<Device> {
    DeviceProvider(FhirRepository repo) {
        super(repo, Device.class);
    }

    @Read(version = true)
    public Device read(@IdParam IdType id) {
        return find(id);
    }

    @History
    public IBundleProvider history(@IdParam IdType id) {
        return versions(id);
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(name = "_id") TokenAndListParam id,
            @OptionalParam(name = "_lastUpdated") DateAndListParam lastUpdated,
            @OptionalParam(name = Device.SP_IDENTIFIER) TokenAndListParam identifier,
            @OptionalParam(name = Device.SP_DEVICE_NAME) StringAndListParam name,
            @OptionalParam(name = Device.SP_MANUFACTURER) StringAndListParam manufacturer,
            @OptionalParam(name = Device.SP_MODEL) StringAndListParam model,
            @Sort SortSpec sort) {
        return repo.search(spec().and("_id", id).and("_lastUpdated", lastUpdated).and("identifier", identifier)
                .and("device-name", name).and("manufacturer", manufacturer).and("model", model).sort(sort));
    }
}
