using System.Collections;
using System.Reflection;
using Akka.Actor;
using Xunit;

namespace ActorTasks.Tasks.Tests.Serialization;

/// <summary>Structural comparison of messages (records holding arrays and lists compare those by reference otherwise).</summary>
public static class DeepEqual
{
    public static void Check(object? expected, object? actual, string path = "message")
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {expected ?? "null"} but got {actual ?? "null"}");
            return;
        }
        switch (expected)
        {
            case IActorRef r:
                // Read back in the same system, a ref is the very actor (path and uid) that was sent.
                Assert.True(actual is IActorRef a && a.Equals(r) && a.Path.ToStringWithUid() == r.Path.ToStringWithUid(),
                    $"{path}: expected ref {r.Path.ToStringWithUid()} but got {(actual as IActorRef)?.Path.ToStringWithUid() ?? actual.ToString()}");
                return;
            case string or ValueType when !IsRecordStruct(expected.GetType()):
                Assert.True(expected.Equals(actual), $"{path}: expected {expected} but got {actual}");
                return;
            case IDictionary dictionary:
                var other = Assert.IsAssignableFrom<IDictionary>(actual);
                Assert.True(dictionary.Count == other.Count, $"{path}: expected {dictionary.Count} entries but got {other.Count}");
                foreach (DictionaryEntry entry in dictionary)
                {
                    Assert.True(other.Contains(entry.Key), $"{path}: key {entry.Key} is missing");
                    Check(entry.Value, other[entry.Key], $"{path}[{entry.Key}]");
                }
                return;
            case IEnumerable sequence:
                var left = sequence.Cast<object?>().ToList();
                var right = Assert.IsAssignableFrom<IEnumerable>(actual).Cast<object?>().ToList();
                Assert.True(left.Count == right.Count, $"{path}: expected {left.Count} elements but got {right.Count}");
                for (var i = 0; i < left.Count; i++) Check(left[i], right[i], $"{path}[{i}]");
                return;
        }
        Assert.Equal(expected.GetType(), actual.GetType());
        foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            Check(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}");
        }
    }

    private static bool IsRecordStruct(Type type) =>
        type.IsValueType && !type.IsPrimitive && !type.IsEnum && type.Namespace == "ActorTasks.Messages";
}
