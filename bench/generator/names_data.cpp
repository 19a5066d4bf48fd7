#include "catalog.hpp"

namespace qreg::gen {
namespace {

// Sources of the lists: common given and family names of each origin as they appear in
// German records. Order is frequency rank; weights follow Zipf by rank unless given.
// Spellings after the first are known variants; rule-made variants are added in catalog.cpp.
constexpr std::string_view data = R"(
@SYR male
Mohammad|Mohammed|Muhammad|Mohamad|Mohamed|Muhammed|Mouhamad|Mhd *14 =محمد
Ahmad|Ahmed|Achmed|Ahmet|Achmad *7 =أحمد
Ali|Aly *5 =علي
Mahmoud|Mahmud|Mahmood|Machmud =محمود
Hussein|Hussain|Husein|Houssein|Hossein =حسين
Omar|Umar|Omer =عمر
Khaled|Khalid|Chalid|Chaled|Halid =خالد
Mustafa|Moustafa|Mostafa|Mustapha =مصطفى
Abdullah|Abdallah|Abdulla|Abdellah =عبدالله
Hassan|Hasan|Hasen =حسن
Ibrahim|Ibraheem|Ebrahim|Brahim =إبراهيم
Yousef|Yusuf|Youssef|Yussuf|Jussuf|Yosef =يوسف
Abdulrahman|Abdul Rahman|Abdel Rahman|Abdelrahman|Abdurrahman|Abd Alrahman =عبدالرحمن
Ammar|Amar =عمار
Bashar|Baschar|Bachar =بشار
Ayman|Aiman|Eiman =أيمن
Bilal =بلال
Fadi|Fady =فادي
Firas|Feras =فراس
Hamza|Hamzah|Hamsa =حمزة
Jamal|Dschamal|Djamal|Gamal =جمال
Karim|Kareem|Kerim =كريم
Majid|Majed|Madschid|Maged =ماجد
Nabil|Nabeel =نبيل
Osama|Usama|Ossama =أسامة
Rami|Ramy =رامي
Samer|Sameer =سامر
Tarek|Tariq|Tarik =طارق
Walid|Waleed|Oualid =وليد
Yasser|Yaser|Jasser|Yassir =ياسر
Anas =أنس
Adnan =عدنان
Amer|Aamer =عامر
Bassam =بسام
Fares|Faris =فارس
Haitham|Haytham|Heitham =هيثم
Hani|Hany =هاني
Imad|Emad =عماد
Issa|Isa|Eissa =عيسى
Kinan =كنان
Laith|Leith|Layth =ليث
Mazen|Mazin =مازن
Marwan =مروان
Muhannad|Mohannad|Mouhannad =مهند
Nizar =نزار
Obada|Obadah|Ubada =عبادة
Qasim|Kasim|Qassem|Kassem =قاسم
Raed|Raid =رائد
Riad|Riyad|Riyadh =رياض
Saeed|Said|Saied =سعيد
Shadi|Schadi|Chadi =شادي
Suleiman|Sulaiman|Souleiman|Sleiman =سليمان
Taha =طه
Wael|Wail =وائل
Waseem|Wasim =وسيم
Yahya|Jahja|Yehia =يحيى
Zakaria|Zakariya|Sakaria =زكريا
Abdulkarim|Abdul Karim|Abdelkarim =عبدالكريم
Abdulaziz|Abdul Aziz|Abdelaziz =عبدالعزيز
Abdulkader|Abdulqader|Abdel Kader =عبدالقادر
Ayham|Aiham =أيهم
Diaa|Diya|Dia =ضياء
Hadi =هادي
Iyad|Eyad|Ijad =إياد
Louay|Luay|Loay =لؤي
Moaz|Muath|Muaz =معاذ
Nour|Nur|Noor =نور
Qusai|Kusai|Qusay =قصي
Sami|Samy =سامي
Hussam|Husam|Houssam =حسام
Ghassan|Gassan =غسان
Zaid|Zeid|Zayd =زيد
Jihad|Dschihad =جهاد
Azad
Baran
Dilshad|Dilschad
Rojhat
Shivan|Schiwan|Sivan
Rezan
Serdar
Welat|Velat
Zana
Berzan
Nadim|Nadeem =نديم
Rabih|Rabie =ربيع
Salah|Salaheddin =صلاح
Tamer|Tamir =تامر
Wissam|Wisam =وسام

@SYR female
Fatima|Fatma|Fatme|Fatimah|Fatema *6 =فاطمة
Aisha|Aischa|Aysha|Ayesha =عائشة
Maryam|Mariam|Meryem|Mariyam =مريم
Zainab|Zeinab|Zaynab|Seinab =زينب
Amina|Ameena =آمنة
Khadija|Chadidscha|Khadidja =خديجة
Nour|Noor|Nur =نور
Layla|Laila|Leila|Leyla =ليلى
Hala =هالة
Huda|Houda|Hoda =هدى
Rania|Ranya =رانيا
Lina|Leena =لينا
Rasha|Rascha =رشا
Reem|Rim =ريم
Sara|Sarah =سارة
Samira|Sameera|Samirah =سميرة
Salma|Selma =سلمى
Yasmin|Yasmine|Jasmin|Yasmeen =ياسمين
Hanan|Hanane =حنان
Heba|Hiba =هبة
Dima =ديما
Rawan =روان
Ruba =ربى
Alaa|Ala'a =آلاء
Aya|Aja|Ayah =آية
Bayan =بيان
Doaa|Dua|Duaa =دعاء
Ghada =غادة
Haya =هيا
Iman|Eman|Imane =إيمان
Jana|Dschana =جنى
Lama =لمى
Manal =منال
Mona|Muna =منى
Nada =ندى
Nadia|Nadja|Nadiya =نادية
Najwa|Nadschwa =نجوى
Nisreen|Nesrin|Nisrin =نسرين
Rahaf =رهف
Rana =رنا
Safaa|Safa =صفاء
Sana|Sanaa =سناء
Suha|Souha =سهى
Wafaa|Wafa =وفاء
Zahra|Sahra|Zahraa =زهراء
Asmaa|Asma =أسماء
Batoul|Batul =بتول
Hind =هند
Kawthar|Kauthar|Kausar =كوثر
Malak =ملاك
Nawal =نوال
Raghad =رغد
Shaimaa|Shaima|Schaima =شيماء
Tasneem|Tasnim =تسنيم
Walaa =ولاء
Berivan|Beriwan
Rojda
Zozan
Shilan|Schilan
Jiyan|Dschijan
Hevin|Hewin
Sidra =سدرة
Lujain|Loujain =لجين

@SYR family
^Hassan =حسن
^Ali =علي
^Ahmad|Ahmed =أحمد
^Mohammad|Mohamad|Mohammed =محمد
^Khalil|Khaleel =خليل
^Hussein|Husein =حسين
^Abdullah =عبدالله
^Omar =عمر
^Ibrahim =إبراهيم
^Hamad =حمد
Khoury|Khouri|Khuri|Churi =خوري
Haddad =حداد
^Hamdan =حمدان
Darwish|Darwisch|Derwisch =درويش
Kurdi|Kurdy =كردي
^Sabbagh|Sabbag =صباغ
^Shami|Schami =شامي
^Halabi|Halaby =حلبي
^Masri =مصري
^Najjar|Nadschar =نجار
^Attar =عطار
Hamoud|Hammoud|Hamud =حمود
Othman|Osman|Uthman =عثمان
^Saleh|Salih =صالح
^Suleiman|Sulaiman =سليمان
Yousef|Youssef|Yusuf =يوسف
Mustafa|Moustafa|Mostafa =مصطفى
Khalaf|Chalaf =خلف
^Obeid|Obaid =عبيد
^Zaidan|Zeidan =زيدان
^Rashid|Raschid =رشيد
Taha =طه
Issa|Isa|Eissa =عيسى
^Abbas|Abas|Abbass =عباس
Hamid|Hamed =حامد
Karim =كريم
^Sultan =سلطان
Nasser|Naser|Nasir =ناصر
^Jasem|Jassem =جاسم
Mahmoud|Mahmud =محمود
^Aswad =أسود
^Hariri =حريري
^Homsi|Hemsi =حمصي
^Idlibi =إدلبي
Sheikh|Scheich|Sheik|Cheikh =شيخ
^Jaber|Dschaber =جابر
Qassem|Kassem|Qasim =قاسم
Mansour|Mansur =منصور
^Hajj|Haj|Hadsch =حاج
^Khatib|Chatib =خطيب
^Sayed|Sayyed =سيد
Bakri|Bakr =بكري
^Hamwi =حموي
Abdo|Abdou|Abdu =عبدو
Moussa|Musa|Mousa =موسى
Salem|Salim =سالم
Dib|Deeb =ديب
Zein|Zain =زين
Hallak|Hallaq =حلاق
Jomaa|Jumaa|Dschumaa|Joumaa =جمعة
Kanaan =كنعان
Kayali|Kayyali =كيالي
Ismail|Ismael =إسماعيل
Othman =عثمان
Hammad =حماد
Saadeh|Saade =سعادة
Aboud|Abboud =عبود
Khaddour|Khadour =خضور
Shaheen|Schahin|Chahine =شاهين
Tlass =طلاس
Mardini =مارديني
Sweid|Suwaid =سويد
Ramadan|Ramazan =رمضان
^Mousa =موسى
^Tawil =طويل
Bitar|Bittar =بيطار
Farhat =فرحات
Mohsen|Muhsin =محسن
Haj Ali|Hajj Ali =حاج علي
Abu Zeid|Abuzeid|Abou Zeid =أبو زيد
Abu Ali|Abou Ali =أبو علي
Sido
Hesso
Ibo
Bozan

@SYR places
Aleppo|Halab|Haleb|Alep ; HALAB
Damaskus|Damascus|Dimashq|Damas ; DIMASHQ
Homs|Hims ; HIMS
Deraa|Daraa|Dara'a ; DARAA
Latakia|Lattakia|Lattaquie ; AL-LADHIQIYA
Raqqa|Ar-Raqqa|Rakka ; AR-RAQQA
Idlib|Idleb ; IDLIB
Hama|Hamah ; HAMA
Deir ez-Zor|Deir Ezzor|Dayr az-Zawr ; DAYR AZ-ZAWR
Hasaka|Al-Hasakah|Hassake ; AL-HASAKAH
Qamishli|Kamischli|Al-Qamishli ; AL-QAMISHLI
Kobani|Kobane|Ain al-Arab ; AYN AL-ARAB
Afrin|Efrin ; AFRIN
Tartus|Tartous ; TARTUS
Douma|Duma ; DUMA
Manbij|Manbidsch ; MANBIJ

@IRQ male
Mohammed|Mohammad|Muhammad|Mohamed|Mohamad *12 =محمد
Ali|Aly *8 =علي
Ahmed|Ahmad|Achmed =أحمد
Hussein|Hussain|Husein|Hossein =حسين
Mustafa|Mostafa|Moustafa =مصطفى
Haider|Haidar|Hayder|Heider =حيدر
Abbas|Abas =عباس
Omar|Umar =عمر
Hassan|Hasan =حسن
Karrar|Karar =كرار
Jasim|Jassim|Jasem|Dschasim =جاسم
Kadhim|Kazim|Kathem|Kazem =كاظم
Abdullah|Abdallah =عبدالله
Yasir|Yasser|Yaser =ياسر
Ammar|Amar =عمار
Zaid|Zeid =زيد
Sajjad|Sadschad|Sajad =سجاد
Murtada|Murtadha|Mortada|Murtaza =مرتضى
Muntadhar|Muntazar =منتظر
Aqeel|Aqil|Akil =عقيل
Falah =فلاح
Salam =سلام
Thaer|Thair =ثائر
Raad|Ra'ad =رعد
Ibrahim|Ebrahim =إبراهيم
Khalid|Khaled|Chalid =خالد
Yousif|Yousef|Yusuf =يوسف
Saad|Sa'ad =سعد
Sami =سامي
Uday|Odai|Udai =عدي
Qusay|Qusai =قصي
Bakr|Baker =بكر
Nabil =نبيل
Hamid|Hameed =حميد
Salih|Saleh =صالح
Adel|Adil =عادل
Walid|Waleed =وليد
Tariq|Tarek =طارق
Zuhair|Zuheir =زهير
Farhan =فرحان
Hadi =هادي
Abdulrahman|Abdul Rahman|Abdelrahman =عبدالرحمن
Khalaf|Chalaf
Murad|Murat
Qasim|Kasim
Hadi
Elias|Ilyas
Sherzad|Scherzad
Karwan|Karvan
Rebwar|Rebvar
Hemin|Hemn
Dilshad|Dilschad
Aras
Barzan
Shwan|Schwan
Soran
Hawre|Haure
Nawzad|Nauzad

@IRQ female
Fatima|Fatma|Fatimah *5 =فاطمة
Zahraa|Zahra|Sahra =زهراء
Zainab|Zeinab|Zaynab =زينب
Maryam|Mariam =مريم
Noor|Nour|Nur =نور
Huda|Hoda =هدى
Sara|Sarah =سارة
Rusul|Russul =رسل
Ruqaya|Ruqayya|Rukaja =رقية
Shaimaa|Shayma =شيماء
Hawraa|Haura =حوراء
Ban =بان
Israa|Isra =إسراء
Amal =أمل
Suad|Souad =سعاد
Layla|Laila =ليلى
Nadia|Nadja =نادية
Iman|Eman =إيمان
Aya|Ayah =آية
Duaa|Doaa =دعاء
Hanan =حنان
Sundus|Sondos =سندس
Baraa|Bara'a =براء
Tabarak =تبارك
Mays|Mais =ميس
Khadija|Khadidja =خديجة
Nasreen|Nasrin =نسرين
Wasan =وسن
Saba =صبا
Shilan|Schilan
Hero
Nazdar|Nasdar
Shirin|Schirin
Dilan
Avin|Awin
Jian|Zhian
Khanda|Chanda
Nadia

@IRQ family
^Jubouri|Jabouri|Juburi|Dschuburi =جبوري
^Obaidi|Ubaidi|Obeidi =عبيدي
^Dulaimi|Duleimi|Dulaymi =دليمي
^Tamimi|Temimi =تميمي
^Shammari|Schammari|Shamari =شمري
^Janabi|Dschanabi|Jenabi =جنابي
^Zubaidi|Zubeidi =زبيدي
^Saadi|Sadi =سعدي
^Rubaie|Rubai|Rubaiy =ربيعي
^Hashimi|Hashemi =هاشمي
^Khafaji|Chafadschi =خفاجي
^Musawi|Mousawi|Moussawi =موسوي
^Hakim =حكيم
^Ameri|Amiri =عامري
^Bayati =بياتي
Kadhim|Kazim =كاظم
Jasim|Jassim =جاسم
Abbas =عباس
Hussein|Hussain =حسين
^Hassan =حسن
^Ali =علي
Mohammed|Mohammad =محمد
Ahmed|Ahmad =أحمد
Salih|Saleh =صالح
Khalaf|Chalaf
Murad|Murat
Qasim|Kasim
Hadi
Elias|Ilyas
Haji|Hadschi
Rashid|Raschid
Barzani|Barsani
Talabani
Mahmoud|Mahmud
Aziz|Asis
Karim|Kareem
Rasul|Rasool
Omar|Umar
Faraj|Faradsch
Younis|Yunus|Junis
Hamid|Hameed
Taha
Abdulla|Abdullah

@IRQ places
Bagdad|Baghdad ; BAGHDAD
Mossul|Mosul ; AL-MAWSIL
Erbil|Arbil|Hewler ; ARBIL
Basra|Basrah|Al-Basra ; AL-BASRAH
Kirkuk|Kerkuk ; KIRKUK
Sulaimaniyya|Sulaymaniyah|Slemani ; AS-SULAYMANIYAH
Dohuk|Duhok|Dahuk ; DAHUK
Sindschar|Sinjar|Shingal ; SINJAR
Falludscha|Fallujah ; AL-FALLUJAH
Ramadi ; AR-RAMADI
Nadschaf|Najaf ; AN-NAJAF
Kerbela|Karbala ; KARBALA
Tikrit ; TIKRIT

@AFG male
Mohammad|Mohammed|Muhammad|Mohamad|Mohamed|Mahammad *14 =محمد
Ahmad|Ahmed|Achmad *6 =احمد
Ali *4 =علی
Abdul|Abdol|Abdel =عبدال
Hamid|Hameed =حمید
Reza|Resa|Riza =رضا
Mustafa|Mostafa =مصطفی
Hussain|Hussein|Hossein|Husain =حسین
Hassan|Hasan =حسن
Jawad|Javad|Dschawad =جواد
Mahdi|Mehdi =مهدی
Sayed|Sayyed|Seyed|Said =سید
Ghulam|Gholam|Golam|Gulam =غلام
Nazir|Nazeer|Nasir =نذیر
Rahim|Raheem =رحیم
Karim|Kareem =کریم
Farid|Fareed =فرید
Wahid|Vahid|Waheed =وحید
Habib|Habeeb =حبیب
Samiullah|Sami Ullah|Samiulla =سمیع‌الله
Zabiullah|Zabihullah|Sabiullah =ذبیح‌الله
Naqibullah|Naqibulla =نقیب‌الله
Rahmatullah|Rahmatulla|Rahmat Ullah =رحمت‌الله
Ehsan|Ihsan|Ehssan =احسان
Bilal =بلال
Omid|Umid|Omed =امید
Jamshid|Dschamschid|Jamsheed =جمشید
Khalid|Chalid =خالد
Shafiq|Schafik|Shafik =شفیق
Sohrab|Sohrap =سهراب
Mujtaba|Modschtaba|Mojtaba =مجتبی
Murtaza|Mortaza|Murtasa =مرتضی
Najib|Nadschib|Najeeb =نجیب
Nasrullah|Nasrulla =نصرالله
Noorullah|Nurullah|Nurulla =نورالله
Obaidullah|Ubaidullah =عبیدالله
Rafi|Rafee =رفیع
Sharif|Scharif|Sharef =شریف
Sher|Shir|Schir =شیر
Tahir|Taher =طاهر
Yaqub|Yakub|Jakub|Yaqoob =یعقوب
Zakir|Zaker|Sakir =ذاکر
Basir|Baseer =بصیر
Daud|Dawood|Dawud|Davood =داود
Elyas|Ilyas|Elias =الیاس
Fawad|Fauad =فواد
Idris|Edris =ادریس
Jalil|Dschalil|Jaleel =جلیل
Khan|Chan =خان
Masoud|Masud|Massoud =مسعود
Mirwais|Mir Wais =میرویس
Nasim|Naseem =نسیم
Parwiz|Parviz|Perwiz =پرویز
Qadir|Kadir|Ghader =قادر
Rashid|Raschid|Rasheed =رشید
Sadiq|Sadik|Sadegh =صادق
Safiullah|Safi Ullah =صفی‌الله
Sultan|Soltan =سلطان
Wali|Vali =ولی
Yasin|Jasin|Yaseen =یاسین
Zia|Ziya|Sia =ضیا
Nawid|Navid|Naweed =نوید
Ismail|Esmail|Ismael =اسماعیل
Asadullah|Asadulla =اسدالله
Hekmatullah|Hikmatullah =حکمت‌الله
Ajmal|Adschmal =اجمل
Jawid|Javid|Dschawid =جاوید
Mansoor|Mansur|Mansour =منصور
Shoaib|Schoaib|Shuaib =شعیب
Abdul Basir|Abdulbasir =عبدالبصیر
Abdul Qadir|Abdulqadir|Abdul Kadir =عبدالقادر
Abdul Wahid|Abdulwahid =عبدالواحد
Gul Ahmad|Gulahmad =گل‌احمد
Amanullah|Aman Ullah =امان‌الله
Ismatullah|Esmatullah =عصمت‌الله
Lutfullah|Lotfullah =لطف‌الله
Baryalai|Baryalay
Mirza|Mirsa =میرزا
Hashmatullah|Heshmatullah
Fazal|Fazel|Fasal =فضل
Sameer|Samir
Milad =میلاد
Arash|Arasch =آرش
Nabi|Nabee =نبی

@AFG female
Fatima|Fatema|Fatime|Fatemeh *5 =فاطمه
Maryam|Mariam|Marjam =مریم
Zahra|Sahra =زهرا
Masooma|Masuma|Massoumeh =معصومه
Shabnam|Schabnam =شبنم
Nazanin|Nasanin =نازنین
Parwana|Parvaneh|Parwane =پروانه
Fariba|Fareeba =فریبا
Soraya|Suraya|Soraja =ثریا
Zainab|Zeinab|Seinab =زینب
Sakina|Sakineh|Sakine =سکینه
Gulalai|Gulalay|Gul Alai =گلالی
Malalai|Malalay =ملالی
Roya|Roja =رویا
Sahar|Saher =سحر
Farzana|Farsana =فرزانه
Hamida|Hameeda =حمیده
Khadija|Chadidscha|Khadidja =خدیجه
Laila|Leila|Layla =لیلا
Mahbooba|Mahbuba =محبوبه
Marzia|Marziyeh|Marsia =مرضیه
Nargis|Narges|Nargiz =نرگس
Nilofar|Nilufar|Niloofar =نیلوفر
Rahima|Raheema =رحیمه
Shakila|Schakila|Shakeela =شکیلا
Shirin|Schirin|Shireen =شیرین
Tahmina|Tahmineh =تهمینه
Wahida|Vahideh =وحیده
Zarghona|Zarghuna|Sarghuna =زرغونه
Zarmina|Sarmina =زرمینه
Gulnaz|Golnaz =گلناز
Hadia|Hadiya =هادیه
Arezo|Arezoo|Aresu =آرزو
Frishta|Fereshteh|Freshta =فرشته
Mursal|Morsal =مرسل
Nadia|Nadja =نادیه
Husna|Hosna =حسنا
Setara|Sitara|Setareh =ستاره
Samira|Sameera =سمیرا
Habiba|Habeeba =حبیبه
Latifa|Lateefa =لطیفه
Madina|Medina =مدینه
Nasrin|Nasreen =نسرین
Shukria|Shukriya|Schukria =شکریه
Sima|Seema =سیما
Storay|Storai
Bibi|Bibi Gul
Gulsum|Gulsoom|Kulsum =گلثوم
Freba|Fariba
Mina|Meena =مینا

@AFG family
Ahmadi|Ahmady|Achmadi *6 =احمدی
Mohammadi|Mohammady|Muhammadi|Mohamadi *5 =محمدی
Hosseini|Husseini|Hussaini|Hoseini|Husaini *4 =حسینی
Rahimi|Rahimy =رحیمی
Karimi|Karimy =کریمی
Hashimi|Hashemi|Haschemi =هاشمی
Rezaei|Rezai|Rezaee|Resai =رضایی
Jafari|Jafary|Dschafari|Jaafari =جعفری
Azizi|Asisi|Azizy =عزیزی
Haidari|Heydari|Haydari|Heidari =حیدری
Noori|Nuri|Noory =نوری
Sultani|Soltani =سلطانی
Amiri|Amiry =امیری
Nazari|Nasari|Nazary =نظری
Hakimi|Hakimy =حکیمی
Safi|Safy =صافی
Stanikzai|Stanekzai|Stanakzai =ستانکزی
Popal|Popalzai =پوپل
Wardak|Vardak =وردک
Rahmani|Rahmany =رحمانی
Qaderi|Qadiri|Kaderi|Ghaderi =قادری
Yousufzai|Yusufzai|Yousafzai =یوسفزی
Ahmadzai|Ahmadsai =احمدزی
Naseri|Nasiri =ناصری
Habibi|Habiby =حبیبی
Samadi|Samady =صمدی
Sharifi|Scharifi|Sharify =شریفی
Faizi|Faizy|Feisi =فیضی
Sadat|Saadat =سادات
Mohseni|Muhsini|Mohsini =محسنی
Rasuli|Rasouli|Rassuli =رسولی
Hamidi|Hamidy =حمیدی
Akbari|Akbary =اکبری
Shinwari|Schinwari =شینواری
Tajik|Tadschik =تاجیک
Mirzaei|Mirzai|Mirzaie =میرزایی
Sediqi|Siddiqi|Sediqui|Seddiqi =صدیقی
Mansoori|Mansuri =منصوری
Barakzai|Barakzay =بارکزی
Alokozay|Alikozai =علیکوزی
Zadran|Sadran =زدران
Kakar|Kakkar =کاکر
Niazi|Niasi =نیازی
Jalali|Dschalali =جلالی
Omari|Umari =عمری
Taheri|Tahiri =طاهری
Yaqubi|Yaqoobi|Jakubi =یعقوبی
Rostami|Rustami =رستمی
Ebrahimi|Ibrahimi|Ebrahimy =ابراهیمی
Nabizada|Nabizadeh|Nabisada =نبی‌زاده
Ahmadzada|Ahmadzadeh =احمدزاده
Hassanzada|Hasanzadeh =حسن‌زاده
Rahimzai
Noorzai|Nurzai =نورزی
Achakzai|Atschakzai =اچکزی
Sahak|Sahaq
Mangal
Khan|Chan =خان
Shah|Schah =شاه
Hotak|Hotaki
Durrani|Durani =درانی
Wahidi|Vahidi =وحیدی
Mohmand|Momand
Arian|Aryan|Arjan =آرین
Andar
Kohistani|Kuhistani =کوهستانی
Panjshiri|Pandschschiri =پنجشیری
Herawi|Heravi =هروی
Kabuli =کابلی
Balkhi|Balchi =بلخی

@AFG places
Kabul|Kabol ; KABUL
Herat|Harat ; HERAT
Mazar-e Sharif|Masar-i-Scharif|Mazar-i-Sharif ; MAZAR-E SHARIF
Kandahar|Qandahar ; KANDAHAR
Dschalalabad|Jalalabad ; JALALABAD
Ghazni|Gasni ; GHAZNI
Kunduz|Kundus|Qunduz ; KUNDUZ
Baghlan|Baglan ; BAGHLAN
Bamiyan|Bamyan ; BAMYAN
Laschkar Gah|Lashkar Gah ; LASHKAR GAH
Maidan Shahr|Maidan Wardak ; MAIDAN SHAHR
Nili ; NILI
Tschaghtscharan|Chaghcharan ; CHAGHCHARAN
Pul-e Khumri|Pol-e Chomri ; PUL-E KHUMRI

@IRN male
Mohammad|Mohammed|Muhammad|Mohamad *10 =محمد
Ali *7 =علی
Reza|Resa =رضا
Hossein|Hussein|Hosein|Hussain =حسین
Mehdi|Mahdi =مهدی
Amir =امیر
Hamid =حمید
Mohsen|Muhsin|Mohssen =محسن
Saeed|Said|Saied =سعید
Javad|Dschawad|Jawad =جواد
Majid|Madschid|Madjid =مجید
Hassan|Hasan =حسن
Mostafa|Mustafa|Moustafa =مصطفی
Abbas|Abas =عباس
Ahmad|Ahmed =احمد
Morteza|Mortaza|Murtaza =مرتضی
Ebrahim|Ibrahim =ابراهیم
Mojtaba|Modschtaba =مجتبی
Amin =امین
Behzad|Bezad =بهزاد
Babak =بابک
Arash|Arasch =آرش
Farhad|Farhat =فرهاد
Kaveh|Kawe|Kave =کاوه
Omid =امید
Payam =پیام
Pouya|Puya =پویا
Ramin =رامین
Sina =سینا
Siavash|Siawasch|Siyavash =سیاوش
Vahid|Wahid =وحید
Yaser|Yasser|Jaser =یاسر
Navid|Nawid =نوید
Masoud|Masud|Massoud =مسعود
Nima =نیما
Peyman|Payman|Peiman =پیمان
Kourosh|Kurosch|Kurosh =کوروش
Dariush|Daryoush|Dariusch =داریوش
Shahram|Schahram =شهرام
Behrouz|Behruz =بهروز
Hadi =هادی
Milad =میلاد
Hamed =حامد
Alireza|Ali Reza =علیرضا
Mohammadreza|Mohammad Reza|Mohamadreza =محمدرضا
Abolfazl|Abulfazl|Abolfasl =ابوالفضل
Mehran =مهران
Farshid|Farschid =فرشید
Keyvan|Keivan|Kaiwan =کیوان
Aram
Hiwa|Hiva
Karwan|Karvan
Soran

@IRN female
Fatemeh|Fatima|Fateme|Fatemah *5 =فاطمه
Zahra|Sahra|Zahraa =زهرا
Maryam|Mariam =مریم
Masoumeh|Masumeh|Massoume =معصومه
Zeinab|Zainab|Seinab =زینب
Sara|Sarah =سارا
Narges|Nargis =نرگس
Maedeh|Maede|Maeda =مائده
Leila|Laila|Leyla =لیلا
Shirin|Schirin =شیرین
Mahsa|Mahssa =مهسا
Nazanin|Nasanin =نازنین
Parisa|Parissa =پریسا
Niloufar|Nilufar|Niloofar =نیلوفر
Azadeh|Asadeh|Azade =آزاده
Elham =الهام
Fereshteh|Freshta|Fereschte =فرشته
Golnaz|Gulnaz =گلناز
Hoda|Huda =هدی
Mina =مینا
Mitra =میترا
Neda =ندا
Roya|Roja =رویا
Samira =سمیرا
Sepideh|Sepide =سپیده
Shiva|Schiwa =شیوا
Somayeh|Somaye|Sumaya =سمیه
Tahereh|Tahere|Tahira =طاهره
Yasaman|Jasaman|Yasamin =یاسمن
Zohreh|Sohreh|Zohre =زهره
Marzieh|Marsieh|Marziyeh =مرضیه
Sakineh|Sakine =سکینه
Mahboubeh|Mahbube =محبوبه
Atefeh|Atefe =عاطفه
Farnaz|Farnas =فرناز
Negar =نگار
Pegah =پگاه
Sahar =سحر
Ladan =لادن
Mahnaz|Mahnas =مهناز

@IRN family
Mohammadi|Mohamadi|Muhammadi *4 =محمدی
Hosseini|Husseini|Hoseini *4 =حسینی
Ahmadi|Ahmady *3 =احمدی
Rezaei|Rezai|Resai =رضایی
Moradi|Muradi =مرادی
Karimi =کریمی
Jafari|Dschafari|Jaafari =جعفری
Rahimi =رحیمی
Hashemi|Haschemi|Hashimi =هاشمی
Mousavi|Musavi|Moussawi|Musawi =موسوی
Sadeghi|Sadeqi|Sadegi|Sadeghy =صادقی
Ghasemi|Qasemi|Kasemi =قاسمی
Heidari|Heydari|Haidari =حیدری
Ebrahimi|Ibrahimi =ابراهیمی
Rostami|Rustami =رستمی
Akbari =اکبری
Mahmoudi|Mahmudi =محمودی
Kazemi|Kasemi|Kazimi =کاظمی
Najafi|Nadschafi =نجفی
Abbasi|Abasi =عباسی
Ranjbar|Randschbar =رنجبر
Salehi|Salehy =صالحی
Yousefi|Yusefi|Jusefi =یوسفی
Zarei|Zare|Sarei =زارعی
Bagheri|Baqeri|Bageri =باقری
Amini =امینی
Nazari|Nasari =نظری
Shahbazi|Schahbasi =شهبازی
Sharifi|Scharifi =شریفی
Kamali =کمالی
Tehrani|Teherani =تهرانی
Shirazi|Schirasi =شیرازی
Esfahani|Isfahani =اصفهانی
Tabrizi|Tabrisi =تبریزی
Rahmani =رحمانی
Soltani|Sultani =سلطانی
Ghorbani|Qorbani|Gorbani =قربانی
Hamidi =حمیدی
Alavi|Alawi =علوی
Asadi|Assadi =اسدی
Farahani =فراهانی
Mirzaei|Mirsai =میرزایی
Jalali|Dschalali =جلالی
Hosseinzadeh|Hosseinzade|Husseinzada =حسین‌زاده
Alizadeh|Alizade|Alisadeh =علیزاده
Rezazadeh|Resazadeh =رضازاده
Hassanzadeh|Hasanzade =حسن‌زاده
Kurdistani|Kordestani
Rahimpour|Rahimpur =رحیم‌پور
Karimpour|Karimpur =کریم‌پور

@IRN places
Teheran|Tehran ; TEHRAN
Maschhad|Mashhad|Meschhed ; MASHHAD
Isfahan|Esfahan ; ESFAHAN
Schiras|Shiraz ; SHIRAZ
Täbris|Tabriz|Tabris ; TABRIZ
Karadsch|Karaj ; KARAJ
Ahvaz|Ahwas ; AHVAZ
Kermanschah|Kermanshah ; KERMANSHAH
Ghom|Qom|Kom ; QOM
Urmia|Orumiyeh ; URMIA
Sanandadsch|Sanandaj ; SANANDAJ

@UKR male
Oleksandr|Aleksandr|Alexander|Oleksander *6 =Олександр
Serhiy|Serhii|Sergei|Sergej|Serhij *3 =Сергій
Andriy|Andrii|Andrei|Andrej|Andrij =Андрій
Dmytro|Dmitri|Dmitrij|Dmitro =Дмитро
Volodymyr|Vladimir|Wladimir|Wolodymyr =Володимир
Mykola|Nikolai|Nikolaj|Mikola =Микола
Ivan|Iwan =Іван
Vasyl|Vasily|Wassili|Wasyl =Василь
Oleh|Oleg =Олег
Yuriy|Yurii|Jurij|Juri|Yury =Юрій
Viktor|Wiktor|Victor =Віктор
Maksym|Maxim|Maksim =Максим
Artem|Artyom|Artjom =Артем
Denys|Denis =Денис
Vitaliy|Vitalii|Witalij|Witali|Vitaly =Віталій
Pavlo|Pavel|Pawel|Pawlo =Павло
Roman =Роман
Ihor|Igor =Ігор
Mykhailo|Mikhail|Michail|Mychajlo =Михайло
Anatoliy|Anatolii|Anatoli|Anatolij =Анатолій
Taras =Тарас
Bohdan|Bogdan =Богдан
Yevhen|Yevgeniy|Evgeny|Jewgeni|Jewhen =Євген
Petro|Pyotr|Pjotr|Petr =Петро
Vladyslav|Vladislav|Wladislaw|Wladyslaw =Владислав
Yaroslav|Jaroslaw|Jaroslav =Ярослав
Ruslan =Руслан
Valeriy|Valerii|Walerij|Valeri =Валерій
Stepan =Степан
Oleksiy|Oleksii|Aleksei|Alexej|Oleksij =Олексій
Kostiantyn|Konstantin|Kostjantyn =Костянтин
Hryhoriy|Grigori|Hryhorij|Grigorij =Григорій
Vadym|Vadim|Wadim =Вадим
Illia|Ilya|Ilja|Illja =Ілля
Nazar =Назар
Kyrylo|Kirill =Кирило
Danylo|Danilo =Данило
Mykyta|Nikita =Микита
Anton =Антон
Yosyp|Iosif|Josip =Йосип
Fedir|Fedor|Fjodor =Федір
Leonid =Леонід
Borys|Boris =Борис
Vsevolod|Wsewolod =Всеволод
Svyatoslav|Sviatoslav|Swjatoslaw =Святослав
Orest =Орест
Zakhar|Sachar =Захар
Matviy|Matvii|Matwij =Матвій
Tymofiy|Tymofii|Timofei =Тимофій
Yehor|Egor|Jegor =Єгор

@UKR female
Olena|Elena|Jelena|Yelena *5 =Олена
Iryna|Irina *3 =Ірина
Nataliia|Natalia|Natalja|Natalya|Nataliya =Наталія
Tetiana|Tatiana|Tatjana|Tetjana|Tetyana =Тетяна
Svitlana|Svetlana|Swetlana|Switlana =Світлана
Oksana =Оксана
Kateryna|Ekaterina|Jekaterina|Katerina =Катерина
Viktoriia|Viktoria|Wiktorija|Viktoriya =Вікторія
Yuliia|Yulia|Julia|Julija|Yuliya =Юлія
Anastasiia|Anastasia|Anastasija|Anastasiya =Анастасія
Mariia|Maria|Marija|Mariya =Марія
Olha|Olga =Ольга
Halyna|Galina|Galyna|Halina =Галина
Liudmyla|Lyudmila|Ljudmila|Ludmila|Lyudmyla =Людмила
Valentyna|Valentina|Walentina =Валентина
Larysa|Larisa|Larissa =Лариса
Nadiia|Nadezhda|Nadeschda|Nadiya|Nadija =Надія
Lesia|Lesya|Lessja =Леся
Dariia|Daria|Darya|Darja =Дарія
Alina =Аліна
Hanna|Anna|Ganna =Ганна
Khrystyna|Kristina|Christina|Chrystyna =Христина
Sofiia|Sofia|Sofija|Sofiya =Софія
Polina =Поліна
Vira|Vera|Wira|Wera =Віра
Inna =Інна
Zhanna|Schanna|Janna =Жанна
Liliia|Lilia|Lilija =Лілія
Oleksandra|Aleksandra|Alexandra =Олександра
Yevheniia|Evgenia|Jewgenija =Євгенія
Liubov|Lyubov|Ljubow =Любов
Raisa|Raissa =Раїса
Yana|Jana =Яна
Maryna|Marina =Марина
Iuliia|Julija
Ivanna|Iwanna =Іванна
Solomiia|Solomija =Соломія
Zoriana|Zorjana|Sorjana =Зоряна
Uliana|Uljana|Ulyana =Уляна
Snizhana|Snezhana|Sneschana =Сніжана

@UKR family
Melnyk|Melnik|Melnick *4 =Мельник
Shevchenko|Schewtschenko|Sevcenko|Chevtchenko *4 =Шевченко
Kovalenko|Kowalenko *3 =Коваленко
Bondarenko =Бондаренко
Boyko|Boiko|Bojko =Бойко
Tkachenko|Tkatschenko|Tkacenko =Ткаченко
Kravchenko|Krawtschenko|Kravcenko =Кравченко
Kovalchuk|Kowaltschuk =Ковальчук
Koval|Kowal =Коваль
Oliynyk|Oliinyk|Olijnyk =Олійник
Shevchuk|Schewtschuk =Шевчук
Polishchuk|Polischtschuk|Poliscuk =Поліщук
Bondar =Бондар
Tkachuk|Tkatschuk|Tkacuk =Ткачук
Marchenko|Martschenko =Марченко
Lysenko|Lyssenko|Lisenko =Лисенко
Rudenko =Руденко
Savchenko|Sawtschenko|Savcenko|Savtchenko =Савченко
Petrenko =Петренко
Moroz =Мороз
Klymenko|Klimenko =Клименко
Pavlenko|Pawlenko =Павленко
Kravchuk|Krawtschuk =Кравчук
Kuzmenko|Kusmenko =Кузьменко
Ponomarenko =Пономаренко
Savchuk|Sawtschuk =Савчук
Vasylenko|Wassylenko =Василенко
Levchenko|Lewtschenko =Левченко
Kharchenko|Chartschenko|Harchenko =Харченко
Karpenko =Карпенко
Zinchenko|Sintschenko =Зінченко
Romanenko =Романенко
Havryliuk|Hawryljuk|Gavriljuk =Гаврилюк
Kostenko =Костенко
Yakovenko|Jakowenko =Яковенко
Hrytsenko|Gritsenko|Hryzenko =Гриценко
Ostapenko =Остапенко
Didenko =Діденко
Fedorenko =Федоренко
Pavliuk|Pawljuk|Pavlyuk =Павлюк
Sydorenko|Sidorenko =Сидоренко
Yurchenko|Jurtschenko =Юрченко
Ivanenko|Iwanenko =Іваненко
Kuchma|Kutschma =Кучма
Symonenko|Simonenko =Симоненко
Tymoshenko|Timoschenko =Тимошенко
Honcharenko|Gontscharenko =Гончаренко
Hnatiuk|Hnatjuk =Гнатюк
Kushnir|Kuschnir =Кушнір
Kozak =Козак
Lytvynenko|Litwinenko =Литвиненко
Mazur|Masur =Мазур
Mykhailenko|Michajlenko =Михайленко
Ostrovskyi|Ostrowskyj|Ostrovsky =Островський
Kovalskyi|Kowalskyj|Kovalsky =Ковальський
Prokopenko =Прокопенко
Semenko =Семенко
Sushko|Suschko =Сушко
Vovk|Wowk =Вовк
Zhuk|Schuk =Жук
Humeniuk|Humenjuk =Гуменюк
Palamarchuk|Palamartschuk =Паламарчук
Demchenko|Demtschenko =Демченко
Moros|Moroz

@UKR places
Kyiv|Kiew|Kiev|Kyjiw ; KYIV
Kharkiv|Charkiw|Kharkov|Charkow ; KHARKIV
Odesa|Odessa ; ODESA
Lviv|Lemberg|Lwiw|Lvov ; LVIV
Dnipro|Dnepr|Dnipropetrowsk ; DNIPRO
Zaporizhzhia|Saporischschja|Zaporozhye ; ZAPORIZHZHIA
Mariupol ; MARIUPOL
Kherson|Cherson ; KHERSON
Mykolaiv|Mykolajiw|Nikolaev ; MYKOLAIV
Donetsk|Donezk ; DONETSK
Luhansk|Lugansk ; LUHANSK
Chernihiv|Tschernihiw ; CHERNIHIV
Sumy ; SUMY
Poltava|Poltawa ; POLTAVA
Vinnytsia|Winnyzja ; VINNYTSIA

@TUR male
Mehmet|Mehmed *7
Mustafa *4
Ahmet|Ahmed
Ali
Hüseyin|Huseyin|Hueseyin
Hasan|Hassan
İbrahim|Ibrahim
İsmail|Ismail
Osman
Yusuf|Jusuf
Murat|Murad
Ömer|Omer|Oemer
Ramazan|Ramadan
Halil
Süleyman|Suleyman|Sueleyman
Abdullah
Mahmut|Mahmud
Recep|Recep|Redschep
Fatih
Kadir
Emre
Yasin|Jasin
Burak
Serkan
Hakan
Orhan
Kemal
Erkan
Volkan|Wolkan
Cem|Djem
Deniz
Mahsun
Cengiz|Dschengis
Sinan
Tarık|Tarik
Şükrü|Sukru|Schükrü
Özgür|Ozgur|Oezguer
Uğur|Ugur
Barış|Baris
Engin
Eren
Furkan
Berkay
Serdar
Rojhat
Baran
Welat|Velat
Zeki
Metin
Nihat
Selim
Erdal
Ercan

@TUR female
Fatma|Fatima *4
Ayşe|Ayse|Aysche
Emine
Hatice|Hatidsche
Zeynep|Zeinep
Elif
Meryem|Meriem
Şerife|Serife
Zehra|Sehra
Sultan
Hanife
Merve|Merwe
Özlem|Ozlem|Oezlem
Havva|Hawa
Aysel
Büşra|Busra|Buesra
Esra
Gülsüm|Gulsum|Guelsuem
Hacer|Hadscher
Leyla|Leila
Derya
Yasemin|Jasemin
Kübra|Kubra|Kuebra
Songül|Songul|Songuel
Gülay|Gulay|Guelay
Sevgi
Dilek
Nurcan
Hülya|Hulya|Huelya
Cemile
Rabia
Sibel
Tuğba|Tugba
Ebru
Gizem
Berivan
Rojda
Dilan
Zozan
Nesrin

@TUR family
Yılmaz|Yilmaz|Jilmas *5
Kaya *3
Demir
Şahin|Sahin|Schahin
Çelik|Celik
Yıldız|Yildiz
Yıldırım|Yildirim
Öztürk|Ozturk|Oeztuerk
Aydın|Aydin
Özdemir|Ozdemir|Oezdemir
Arslan
Doğan|Dogan
Kılıç|Kilic|Kilitsch
Aslan
Çetin|Cetin
Kara
Koç|Koc
Kurt
Özkan|Ozkan|Oezkan
Şimşek|Simsek
Polat
Özer|Ozer|Oezer
Korkmaz
Çakır|Cakir
Erdoğan|Erdogan
Yavuz|Jawus
Can
Acar
Şen|Sen
Aktaş|Aktas
Güler|Guler|Gueler
Yalçın|Yalcin
Güneş|Gunes|Guenes
Bozkurt
Bulut
Keskin
Ünal|Unal|Uenal
Turan
Gül|Gul|Guel
Aksoy
Tekin
Avcı|Avci
Tunç|Tunc
Kaplan
Karaca|Karadscha
Uçar|Ucar
Altun
Ekinci
Yüksel|Yuksel|Yueksel
Baran
Kılınç|Kilinc
Ateş|Ates
Akbulut
Taş|Tas

@TUR places
Istanbul|İstanbul ; ISTANBUL
Ankara ; ANKARA
Diyarbakır|Diyarbakir ; DIYARBAKIR
Van ; VAN
Şanlıurfa|Sanliurfa|Urfa ; SANLIURFA
Mardin ; MARDIN
Batman ; BATMAN
Gaziantep|Antep ; GAZIANTEP
İzmir|Izmir ; IZMIR
Adana ; ADANA
Konya ; KONYA
Erzurum ; ERZURUM
Muş|Mus ; MUS
Hakkari ; HAKKARI
Bingöl|Bingoel|Bingol ; BINGÖL

@ERI male
Yonas|Jonas|Yonah
Tekle|Teklay|Tecle
Filmon|Philemon|Filimon
Merhawi|Merhavi|Mehrawi
Tesfay|Tesfai|Tesfaye
Haile|Hayle|Hailé
Berhane|Berhana|Birhane
Kidane|Kidana
Ghebremedhin|Gebremedhin|Ghebre Medhin|Gebre Medhin
Tesfamariam|Tesfamaryam|Tesfa Mariam|Tesfamicael
Mehari|Mehary
Yohannes|Johannes|Yohanes|Yohans
Abraham|Abrham|Ibrahim
Daniel|Danial
Samuel|Samiel
Michael|Mikael|Mikiel
Habte|Habtay
Tewolde|Tewelde|Teweldebrhan
Weldu|Woldu|Weldeab
Amanuel|Emmanuel|Amaniel
Biniam|Biniyam|Binyam
Dawit|Dawid|Davit
Efrem|Ephrem|Ephraim
Semere|Semre
Robel|Rubel
Senay|Senai
Mussie|Musie|Mosie
Aron|Aaron
Mulugeta|Mulgeta
Tesfalem|Tesfaalem
Goitom|Goytom
Kibrom|Kibrem
Mebrahtu|Mebrahtom
Zerai|Zeray
Ghirmay|Girmay|Ghirmai
Negassi|Negash|Negasi
Okbazghi|Okbazgi|Ukbazghi
Asmerom|Asmarom
Measho|Meaza
Solomon|Solomun
Henok|Henock|Hanok
Natnael|Natanael|Nathnael
Isaias|Isayas|Esayas
Yemane|Yemani
Berhe|Birhe
Gebreyesus|Ghebreyesus|Gebre Yesus
Tsegay|Tsegai|Tsegaye
Habtom|Habtu
Kahsay|Kahsai
Fitsum|Fitsom
Simon|Simion
Ermias|Ermiyas

@ERI female
Helen|Helena|Hellen
Senait|Senayt|Seneit
Selam|Salam|Selamawit
Saba|Sabaa
Luwam|Luam
Rahel|Rachel|Raheel
Hiwet|Hiwot
Tsega|Tsegga
Mebrat|Mebrhat
Freweyni|Frewoini|Fireweyni
Yordanos|Jordanos|Yordanos
Winta|Wintana
Ruta|Rutha
Lidia|Lydia|Lidya
Meron|Miron
Elsa|Elssa
Feven|Fiven|Fewen
Semhar|Semhare
Almaz|Almas
Tsehaye|Tsehay
Hanna|Hana
Mihret|Mehret|Mhret
Azeb|Aseb
Tirhas|Tirhass
Segen|Seghen
Eden|Edena
Abeba|Abebech
Aster|Astier
Genet|Ghenet|Genét
Miriam|Mariam|Meryem
Nebiat|Nebyat
Milen|Milena
Yohana|Johanna|Yohanna
Sara|Sarah
Rigat|Regat
Hermon|Hermona

@ERI places
Asmara|Asmera ; ASMARA
Keren ; KEREN
Massawa|Massaua|Mitsiwa ; MITSIWA
Mendefera ; MENDEFERA
Dekemhare ; DEKEMHARE
Adi Keyh|Adi Keih ; ADI KEYH
Barentu ; BARENTU
Assab|Aseb ; ASEB
Akordat|Agordat ; AKORDAT

@SOM male
Mohamed|Maxamed|Mohammed|Muhammad|Mohamud *10
Abdi|Cabdi *5
Ahmed|Axmed|Ahmad *4
Ali|Cali
Hassan|Xasan|Hasan
Omar|Cumar|Umar
Abdullahi|Cabdullahi|Abdullah
Hussein|Xuseen|Husein
Yusuf|Yuusuf|Yousuf
Ibrahim|Ibraahim
Abdirahman|Cabdiraxmaan|Abdurahman|Abdi Rahman
Abdikarim|Cabdikariim|Abdi Karim
Mahad|Maxad
Farah|Faarax
Osman|Cismaan|Othman
Ismail|Ismaaciil
Said|Saciid|Saeed
Aden|Aadan|Adan
Yasin|Yaasiin
Nur|Nuur|Noor
Guled|Guuleed
Warsame|Warsama
Jama|Jaamac|Jamac
Abdiaziz|Cabdicasiis|Abdulaziz
Abdiqani|Abdikani|Cabdiqani
Bashir|Bashiir
Mustafe|Mustafa
Salah|Salax
Khalid|Khaalid
Liban|Libaan
Mukhtar|Mukhtaar
Dahir|Daahir
Awil|Cawil
Sharif|Shariif
Hamza|Xamsa
Abdulkadir|Cabdulqaadir|Abdiqadir
Hirsi|Xirsi
Elmi|Cilmi
Dualeh|Ducaale
Mohamud|Maxamuud|Mahmoud

@SOM female
Fadumo|Faduma|Fatuma|Fatima *4
Amina|Aamina
Hodan|Hodon
Sahra|Sahro
Hawa|Xaawo|Hawo
Khadija|Khadiija|Qadija
Asha|Caasha|Aisha
Sagal
Ifrah|Ifraax
Maryan|Maryam|Mariam
Halima|Xaliimo|Halimo
Ubah|Ubax
Nasra|Nasro
Deqa|Deeqa
Idil
Hibo|Hibaaq
Safiya|Safiyo
Zamzam|Samsam
Ayan|Ayaan
Muna|Mona
Layla|Leyla
Hamdi|Xamdi
Hani|Haani
Nimco|Nimo
Suad|Sucaad
Istahil|Istaahil
Yasmin|Yasmiin
Kaltun|Kaltuun|Kaltoum
Farhiya|Farxiyo
Shukri|Shukria

@SOM places
Mogadischu|Mogadishu|Muqdisho ; MUQDISHO
Hargeisa|Hargeysa ; HARGEYSA
Kismayo|Kismaayo ; KISMAAYO
Baidoa|Baydhabo ; BAYDHABO
Beledweyne|Beled Weyne ; BELEDWEYNE
Bosaso|Boosaaso ; BOOSAASO
Galkayo|Gaalkacyo ; GAALKACYO
Marka|Merca ; MARKA

@NGA male
Emmanuel|Emanuel
Chukwuemeka|Chukwu Emeka|Emeka
Chinedu|Chinnedu
Oluwaseun|Seun
Ibrahim|Ibraheem
Musa|Moussa
Abubakar|Abu Bakar|Aboubakar|Abubakr
Usman|Usuman|Osman
Abdullahi|Abdullah
Suleiman|Sulaiman|Sulayman
Godwin|Goodwin
Samuel
Daniel
John|Jon
Peter
Michael|Micheal
Joseph|Josef
Paul
Victor|Viktor
Friday
Sunday
Kelechi
Ikechukwu|Ike
Obinna
Nnamdi|Namdi
Uchenna|Uche
Chidi|Chidiebere
Femi|Oluwafemi
Segun|Olusegun
Kehinde
Taiwo
Yusuf|Yussuf
Bello
Aliyu|Aliu
Sani
Ifeanyi|Ifeanyichukwu
Osagie
Osaro|Osarobo
Efosa|Efossa
Ehis|Ehi
Osas
Babatunde|Tunde
Adebayo|Bayo
Olumide|Mide
Mohammed|Muhammad|Mohammad

@NGA female
Blessing *3
Precious
Joy
Faith
Mercy
Gift
Favour|Favor
Esther|Ester
Grace
Peace
Patience
Chioma
Ngozi
Adaeze|Ada
Amaka|Chiamaka
Nneka
Ifeoma
Folake
Funmilayo|Funmi
Bukola
Yetunde
Aisha|Aishat|Ayesha
Fatima|Fatimah
Hauwa|Hawa
Zainab|Zeinab
Amina|Aminat
Hadiza|Hadizat
Osaretin
Efe
Esosa
Ivie|Ivy
Osasu
Omoye
Eki|Ekinadose
Rita
Juliet|Juliette
Vivian|Viviane
Success

@NGA family
Okafor|Okafour
Okonkwo
Eze
Nwosu
Obi
Adeyemi
Adebayo
Ogunleye
Balogun
Bello
Abubakar|Aboubakar
Mohammed|Muhammad
Ibrahim
Musa
Osagie
Igbinedion
Omoregie
Osaghae
Ogbeide
Aigbe
Eghosa
Okoro
Uzor
Chukwu
Nwachukwu
Okeke
Ojo
Akinola
Oladipo
Danjuma
Lawal
Yusuf|Yussuf
Usman
Suleiman|Sulaiman
Ehigiator
Imafidon
Iyamu
Obaseki
Osayande
Nosakhare
Edokpolo
Aghedo
Omorogbe
Uwaifo
Ekhator
Idahosa
Agbonlahor
Okpara
Onyeka
Nnaji
Ugwu
Ezeh
Adeleke
Ayodele
Oyelaran
Olawale

@NGA places
Lagos ; LAGOS
Benin City|Benin-City ; BENIN CITY
Kano ; KANO
Ibadan ; IBADAN
Abuja ; ABUJA
Port Harcourt ; PORT HARCOURT
Enugu ; ENUGU
Kaduna ; KADUNA
Warri ; WARRI
Onitsha ; ONITSHA
Maiduguri ; MAIDUGURI

@RUS male
Ramzan|Ramsan|Ramazan
Ruslan
Magomed|Magomet|Mohammed
Akhmed|Achmed|Ahmed
Islam
Adam
Aslan
Said|Seid
Khasan|Chassan|Hassan
Usman|Uzman|Osman
Rustam|Rustan
Umar|Omar
Zaurbek|Saurbek
Shamil|Schamil
Alikhan|Alichan|Ali Khan
Ibragim|Ibrahim
Dzhabrail|Dschabrail|Jabrail
Movsar|Mowsar
Artur
Timur
Murad|Murat
Apti
Arbi
Bislan
Khamzat|Chamsat|Hamzat
Lechi|Letschi
Mansur|Mansour
Salman
Turpal
Umar-Ali

@RUS female
Kheda|Cheda|Heda
Zarema|Sarema
Madina|Medina
Khava|Chawa|Hawa
Aminat|Aminata
Petimat
Zalina|Salina
Liana
Malika|Malikat
Milana
Elina
Marha|Marcha
Luiza|Luisa|Louiza
Aishat|Aischat
Tamara
Larisa|Larissa
Khadizhat|Chadischat|Khadijat
Zulikhan|Sulichan
Markha|Marcha
Raisa|Raissa

@RUS family
Magomedov|Magomedow|Magomedoff *3
Umarov|Umarow
Kadyrov|Kadirow|Kadyrow
Musaev|Mussajew|Musayev
Aliev|Alijew|Aliyev
Ibragimov|Ibragimow
Akhmatov|Achmatow|Ahmatov
Bisultanov|Bisultanow
Dudaev|Dudajew|Dudayev
Esambaev|Essambajew
Gairbekov|Gairbekow
Israilov|Israilow
Khasanov|Chassanow|Hasanov
Mutsaev|Muzajew
Saidov|Saidow
Tsechoev|Zechojew
Vakhaev|Wachajew
Yusupov|Jussupow|Yusupow
Zakriev|Sakrijew
Abdulaev|Abdullajew|Abdulayev
Batalov|Batalow
Daudov|Daudow
Elmurzaev|Elmursajew
Ismailov|Ismailow
Murtazaliev|Murtasalijew
Akhmadov|Achmadow
Temirkhanov|Temirchanow
Visaitov|Wisaitow
Tagaev|Tagajew
Edilov|Edilow

@RUS places
Grosny|Grozny|Groznyy ; GROZNYY
Urus-Martan ; URUS-MARTAN
Gudermes ; GUDERMES
Schali|Shali ; SHALI
Argun ; ARGUN
Machatschkala|Makhachkala ; MAKHACHKALA
)";

}  // namespace

std::string_view name_data() {
    return data;
}

}  // namespace qreg::gen
