package io.tessera.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

/**
 * When a study counts as complete.
 *
 * <p>Quiet period: a study is complete once no instance has arrived for its quiet period, which is {@code perCallingAe}'s
 * value for the study's calling AE title if given, else the largest {@code quietPeriod} of the routes whose
 * {@code match.callingAeTitle} is absent or equals that AE (if any of them sets one), else {@code quietPeriod}.
 *
 * <p>Release trigger: for calling AEs named in {@code onAssociationReleaseFor} (or every AE when
 * {@code onAssociationRelease} is true), an orderly A-RELEASE of the association that stored a study's instances
 * completes the study {@code releaseGrace} later, unless an instance of the study arrived after the release (another
 * association is still sending; the quiet period then decides). Meant for senders that send a whole study per association.
 */
public record CompletionConfig(
        @NotNull Duration quietPeriod,
        @NotNull Map<@NotNull @Pattern(regexp = AE, message = AE_MESSAGE) String,
                @NotNull @DurationMin(millis = 100, message = RANGE) @DurationMax(hours = 24, message = RANGE) Duration> perCallingAe,
        boolean onAssociationRelease,
        @NotNull List<@NotNull @Pattern(regexp = AE, message = AE_MESSAGE) String> onAssociationReleaseFor,
        @NotNull @DurationMin(millis = 0, message = "must be between 0s and 10m")
        @DurationMax(minutes = 10, message = "must be between 0s and 10m") Duration releaseGrace) {

    /** An AE title: 1-16 printable characters, no backslash, not only spaces. */
    static final String AE = "(?=.*[^ ])[ -\\[\\]-~]{1,16}";
    static final String AE_MESSAGE = "must be an AE title (1-16 printable characters without backslash)";
    static final String RANGE = "must be between 100ms and 24h";

    /** Only a global quiet period: no per-AE values, no release trigger. */
    public CompletionConfig(Duration quietPeriod) {
        this(quietPeriod, Map.of(), false, List.of(), Duration.ZERO);
    }

    @AssertTrue(message = RANGE)
    public boolean isQuietPeriodInRange() {
        return quietPeriod == null
                || (quietPeriod.compareTo(Duration.ofMillis(100)) >= 0 && quietPeriod.compareTo(Duration.ofHours(24)) <= 0);
    }

    /** True when an orderly release of an association from {@code callingAe} may complete the studies it stored. */
    public boolean releaseCompletes(String callingAe) {
        if (onAssociationRelease) return true;
        if (callingAe == null || onAssociationReleaseFor == null) return false;
        return onAssociationReleaseFor.stream().anyMatch(ae -> ae.trim().equals(callingAe.trim()));
    }
}
