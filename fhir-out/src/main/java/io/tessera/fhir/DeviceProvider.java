package io.tessera.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;

/** Device (AI model version) read and search by identifier (its Device UID). */
public final class DeviceProvider extends StoredResourceProvider<Device> {
    DeviceProvider(FhirRepository repo) {
        super(repo, Device.class);
    }

    @Read
    public Device read(@IdParam IdType id) {
        return find(id);
    }

    @Search
    public List<Device> search(@OptionalParam(name = Device.SP_IDENTIFIER) TokenParam identifier) {
        return filter(d -> SearchMatch.identifier(identifier, d.getIdentifier()));
    }
}
