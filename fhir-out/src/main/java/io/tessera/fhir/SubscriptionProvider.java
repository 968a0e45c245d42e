package io.tessera.fhir;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.Delete;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Subscription;

/** Create, read, update, delete and list of {@code Subscription} over {@link Subscriptions}. */
public final class SubscriptionProvider implements IResourceProvider {
    private final Subscriptions subscriptions;

    SubscriptionProvider(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public Class<Subscription> getResourceType() {
        return Subscription.class;
    }

    @Create
    public MethodOutcome create(@ResourceParam Subscription s) {
        return outcome(subscriptions.create(s), true);
    }

    @Read
    public Subscription read(@IdParam IdType id) {
        return subscriptions.read(id.getIdPart())
                .orElseThrow(() -> new ResourceNotFoundException("Subscription/" + id.getIdPart()));
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Subscription s) {
        boolean created = subscriptions.read(id.getIdPart()).isEmpty();
        return outcome(subscriptions.update(id.getIdPart(), s), created);
    }

    @Delete
    public MethodOutcome delete(@IdParam IdType id) {
        if (!subscriptions.delete(id.getIdPart())) throw new ResourceNotFoundException("Subscription/" + id.getIdPart());
        return new MethodOutcome();
    }

    @Search
    public List<Subscription> all() {
        return subscriptions.all();
    }

    private static MethodOutcome outcome(Subscription s, boolean created) {
        MethodOutcome out = new MethodOutcome(new IdType("Subscription", s.getIdPart(), s.getMeta().getVersionId()));
        out.setResource(s);
        out.setCreated(created);
        return out;
    }
}
