using System.Collections;

namespace DurableFlow.Graph;

/// <summary>
/// The problems found in a request, keeping at most <see cref="MaxKept"/> and counting the rest: a hostile
/// body (a megabyte of <c>{"tasks":[{},{},…]}</c> holds some 700,000 problems) then costs a counter, not a list
/// and an answer of tens of megabytes. Enumerates the kept problems, in the order found.
/// </summary>
public sealed class ValidationErrorList : IReadOnlyList<ValidationError>
{
    /// <summary>Most problems kept (and so listed in an error answer's <c>details</c>).</summary>
    public const int MaxKept = 100;

    private readonly List<ValidationError> _kept = [];

    /// <summary>The kept problems.</summary>
    public int Count => _kept.Count;

    /// <summary>Problems found beyond <see cref="MaxKept"/>, counted but not kept.</summary>
    public int Omitted { get; private set; }

    /// <summary>Every problem found, kept or not.</summary>
    public int Total => _kept.Count + Omitted;

    public ValidationError this[int index] => _kept[index];

    /// <summary>Keeps <paramref name="error"/>, or only counts it once <see cref="MaxKept"/> are kept.</summary>
    public void Add(ValidationError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (_kept.Count < MaxKept)
        {
            _kept.Add(error);
        }
        else
        {
            Omitted++;
        }
    }

    public IEnumerator<ValidationError> GetEnumerator() => _kept.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
