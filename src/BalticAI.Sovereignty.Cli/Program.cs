Console.WriteLine("balticai");
