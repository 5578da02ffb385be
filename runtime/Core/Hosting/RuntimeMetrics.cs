using System.Diagnostics.Metrics;
using OrgActors.Runtime.Activation;

namespace OrgActors.Runtime.Hosting;

/// <summary>
/// The runtime's own instruments (meter <see cref="MeterName"/>), for an operator's exporter: how many
/// activations the silo holds, by grain type, which is most of its memory. Read when an exporter collects,
/// so they cost a call nothing.
/// </summary>
public sealed class RuntimeMetrics
{
    public const string MeterName = "OrgActors.Runtime";

    /// <summary>Activations held now, tagged <see cref="GrainTypeTag"/>.</summary>
    public const string ActivationsName = "orgactors.runtime.activations";

    /// <summary>The grain type's name (wallet, organization, ...): as many values as the silo has grain classes.</summary>
    public const string GrainTypeTag = "grain_type";

    internal RuntimeMetrics(IMeterFactory meterFactory, Catalog catalog)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter(ActivationsName, () => catalog.CountByGrainType()
                .Select(pair => new Measurement<int>(pair.Value, new KeyValuePair<string, object?>(GrainTypeTag, pair.Key))),
            unit: "{activation}", description: "Grain activations this silo holds now, by grain type.");
    }
}
