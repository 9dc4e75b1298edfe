namespace MissingDependency;

/// <summary>A base class from a library the plug-in's folder does not hold.</summary>
public abstract class LicensedBase
{
    /// <summary>The licence the kind was sold under.</summary>
    public virtual string Licence => "commercial";
}
