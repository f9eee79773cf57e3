Console.WriteLine("sample placeholder");
