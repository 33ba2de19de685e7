using BalticAI.Sovereignty.Rego.Values;

namespace BalticAI.Sovereignty.Rego.Evaluation;

/// <summary>
/// Frames of rule bodies and function calls, and argument arrays of direct calls, reused within one
/// evaluation. Each is dead once its rule or call has returned: values are immutable and copied out of
/// slots, no continuation outlives the body, and builtins and functions do not keep their argument array.
/// </summary>
internal sealed partial class Evaluator
{
    private ArrayPool<Value?>? framePool;
    private ArrayPool<Value>? argPool;

    private Value?[] RentFrame(int slots) => slots == 0 ? [] : (framePool ??= new()).Rent(slots);

    /// <summary>Only on normal return: after an exception the frame is simply left to the GC.</summary>
    private void ReturnFrame(Value?[] frame) => framePool?.Return(frame);

    private sealed class ArrayPool<T>
        where T : class?
    {
        /// <summary>Longer arrays are rare enough to allocate each time.</summary>
        private const int MaxPooledLength = 16;

        private readonly List<T[]>?[] free = new List<T[]>?[MaxPooledLength];

        public T[] Rent(int length)
        {
            if (length < MaxPooledLength && free[length] is { Count: > 0 } list)
            {
                var array = list[^1];
                list.RemoveAt(list.Count - 1);
                return array;
            }

            return new T[length];
        }

        public void Return(T[] array)
        {
            if (array.Length is 0 or >= MaxPooledLength)
            {
                return;
            }

            // Bindings are undone as continuations return, but a reused frame must not rely on every path doing so.
            Array.Clear(array);
            (free[array.Length] ??= []).Add(array);
        }
    }
}
